package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.kafka.TopicTail;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.simulator.SimulatorCommand;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.testing.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/cluster/run-cluster.sh}: the analytics submitted to a Spark standalone cluster (master, worker,
 * executor in their own JVMs) reading from a 3-broker Kafka cluster computes exactly the results of the plain-Java
 * reference that {@link LocalStackTest} holds local mode to, for the same deterministic input, while one broker is
 * killed (SIGKILL) in the middle of that input; the simulator loses and duplicates nothing it was acknowledged.
 */
@IntegrationTest
class DistributedPathTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Instant START = Instant.parse("2024-12-03T10:00:00Z");
    private static final String PIPELINES = "scotsmen_per_district,impressions_per_minute";

    @Test
    void shouldComputeTheReferenceResultsOnASparkClusterWhileABrokerIsKilled() throws Exception {
        List<Integer> kafkaPorts = List.of(FreePorts.next(), FreePorts.next(), FreePorts.next());
        String bootstrap = kafkaPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        // Kept in target/ after the run: what to read when this test fails. The Spark home assembled from Maven
        // artifacts is kept too, so that a second run does not assemble it again.
        Path runDir = Path.of("target", "cluster-run").toAbsolutePath();
        deleteRecursively(runDir);
        Files.createDirectories(runDir);
        Path log = runDir.resolve("cluster.log");
        int masterWebUiPort = FreePorts.next();
        ProcessBuilder builder = new ProcessBuilder("bash", "deploy/cluster/run-cluster.sh")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment()
                .putAll(Map.ofEntries(
                        Map.entry("CLUSTER_RUN_DIR", runDir.toString()),
                        Map.entry(
                                "SPARK_HOME_DIR",
                                Path.of("target", "spark-home").toAbsolutePath().toString()),
                        Map.entry(
                                "KAFKA_PORTS",
                                kafkaPorts.stream().map(String::valueOf).collect(Collectors.joining(" "))),
                        Map.entry(
                                "CONTROLLER_PORTS", FreePorts.next() + " " + FreePorts.next() + " " + FreePorts.next()),
                        Map.entry("SPARK_MASTER_PORT", Integer.toString(FreePorts.next())),
                        Map.entry("SPARK_MASTER_WEBUI_PORT", Integer.toString(masterWebUiPort)),
                        Map.entry("SPARK_WORKER_WEBUI_PORT", Integer.toString(FreePorts.next())),
                        Map.entry("METRICS_PORT", Integer.toString(FreePorts.next())),
                        Map.entry("RUN_SIMULATOR", "0"),
                        Map.entry("PIPELINES", PIPELINES),
                        Map.entry("TRIGGER_INTERVAL", "2s"),
                        Map.entry("SHUFFLE_PARTITIONS", "2")));
        Process cluster = builder.start();
        try {
            // The script first assembles a Spark home from Maven artifacts, then starts the clusters and submits the
            // analytics; until it logs that its pipelines run, missing files are waiting, not failing.
            await().atMost(Duration.ofMinutes(6))
                    .pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(cluster.isAlive())
                                .as("cluster running; log:%n%s", Files.readString(log))
                                .isTrue();
                        assertThat(Files.readString(runDir.resolve("analytics.log")))
                                .contains("running 2 pipelines");
                    });

            // The analytics created its input and result topics at start: everything on them comes from here on.
            List<String> resultTopics =
                    Stream.of(PIPELINES.split(",")).map(Topics::results).toList();
            List<String> topics = Stream.concat(
                            Stream.of(Topics.SCOTSMEN.topicName(), Topics.CLICKSTREAM.topicName()),
                            resultTopics.stream())
                    .toList();
            try (TopicTail tail = TopicTail.fromEnd(bootstrap, topics)) {
                String[] args = {
                    "--seed",
                    "21",
                    "--start-time",
                    START.toString(),
                    "--speed",
                    "40",
                    "--replication-factor",
                    "3",
                    "--out-of-order-fraction",
                    "0",
                    "--late-fraction",
                    "0",
                    "--weather-enabled",
                    "false",
                    "--metrics-port",
                    "0",
                    "--scotsmen-rate",
                    "20",
                    "--scotsmen-duration",
                    "10m",
                    "--clickstream-rate",
                    "20",
                    "--clickstream-duration",
                    "10m",
                    "--random-values-enabled",
                    "false",
                    "--twitter-enabled",
                    "false",
                    "--voters-enabled",
                    "false",
                    "--bagpipe-enabled",
                    "false"
                };
                Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
                int[] exitCode = {-1};
                Thread simulator = new Thread(
                        () -> exitCode[0] = SimulatorCommand.commandLine(env).execute(args));
                simulator.start();
                // 10 minutes of event time at 40x take 15 s: kill a broker hard half-way through.
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(200))
                        .pollInSameThread()
                        .until(() -> tail.appendedSinceMark(Topics.SCOTSMEN.topicName()) >= 6_000);
                long brokerPid = Long.parseLong(
                        Files.readString(runDir.resolve("kafka-2.pid")).trim());
                ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
                simulator.join(Duration.ofMinutes(2).toMillis());
                assertThat(simulator.isAlive()).isFalse();
                assertThat(exitCode[0])
                        .as("every record acknowledged by the surviving brokers")
                        .isZero();
                // 20 events/s for 10 minutes of event time on each topic: all of them on the surviving replicas, once.
                assertThat(tail.appendedSinceMark(Topics.SCOTSMEN.topicName())).isEqualTo(12_000);
                assertThat(tail.appendedSinceMark(Topics.CLICKSTREAM.topicName()))
                        .isEqualTo(12_000);

                SimulatorConfig config = config(env, args);
                Map<String, Map<String, Double>> expected = new TreeMap<>(ReferenceResults.scotsmenPerDistrict(config));
                expected.putAll(ReferenceResults.impressionsPerMinute(config));
                await().atMost(Duration.ofMinutes(4))
                        .pollInterval(Duration.ofSeconds(5))
                        .pollInSameThread()
                        .untilAsserted(() -> {
                            assertThat(cluster.isAlive())
                                    .as("cluster running; log:%n%s", Files.readString(log))
                                    .isTrue();
                            assertThat(latestResults(tail, resultTopics, expected))
                                    .isEqualTo(expected);
                        });
            }
            assertRanOnTheWorker(masterWebUiPort);
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(cluster.pid()))
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
            if (!cluster.waitFor(60, TimeUnit.SECONDS)) {
                cluster.descendants().forEach(ProcessHandle::destroyForcibly);
                cluster.destroyForcibly();
            }
        }
    }

    /** The master's own account: the analytics is its one running application, holding the worker's cores. */
    private static void assertRanOnTheWorker(int masterWebUiPort) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterWebUiPort + "/json/"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        JsonNode master = readTree(response.body());
        assertThat(master.path("aliveworkers").asInt()).isEqualTo(1);
        assertThat(master.path("activeapps")).hasSize(1);
        JsonNode app = master.path("activeapps").get(0);
        assertThat(app.path("name").asText()).isEqualTo("stream-analytics");
        assertThat(app.path("state").asText()).isEqualTo("RUNNING");
        assertThat(app.path("cores").asInt()).isPositive();
        assertThat(master.path("coresused").asInt()).isEqualTo(app.path("cores").asInt());
    }

    /** The last value of every expected key on its result topic, metrics rounded like the expectation. */
    private static Map<String, Map<String, Double>> latestResults(
            TopicTail tail, List<String> resultTopics, Map<String, Map<String, Double>> expected) {
        Map<String, List<ConsumerRecord<String, byte[]>>> records = tail.readToEnd(Duration.ofSeconds(60));
        Map<String, Map<String, Double>> latest = new TreeMap<>();
        for (String topic : resultTopics) {
            for (ConsumerRecord<String, byte[]> record : records.getOrDefault(topic, List.of())) {
                Map<String, Double> fields = expected.get(record.key());
                if (fields != null) {
                    JsonNode value = readTree(record.value());
                    Map<String, Double> metrics = new TreeMap<>();
                    fields.keySet()
                            .forEach(f -> metrics.put(
                                    f, ReferenceResults.round(value.path(f).asDouble())));
                    latest.put(record.key(), metrics);
                }
            }
        }
        return latest;
    }

    private static SimulatorConfig config(Map<String, String> env, String... args) {
        var commandLine = SimulatorCommand.commandLine(env);
        commandLine.parseArgs(args);
        return ((SimulatorCommand) commandLine.getCommand()).toConfig();
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
