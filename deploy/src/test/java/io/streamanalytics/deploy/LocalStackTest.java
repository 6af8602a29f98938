package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.results.PipelineResult;
import io.streamanalytics.schemas.results.PipelineResults;
import io.streamanalytics.simulator.config.SimulatorCommand;
import io.streamanalytics.simulator.config.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as a user runs it, on a deterministic simulator: results reach the REST API within a
 * minute, the whole chain (simulator, Kafka, Spark, database, REST) yields exactly the values a plain-Java reference
 * computes from the same events, and Ctrl-C stops every process.
 */
class LocalStackTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> JARS = List.of("embedded-kafka/target/embedded-kafka.jar",
            "producer-simulator/target/producer-simulator.jar", "stream-analytics/target/stream-analytics.jar",
            "results-consumer/target/results-consumer.jar");
    /** Five minutes of event time from a fixed start, sent at 20x: every run sends the same events. */
    private static final Map<String, String> DETERMINISTIC = Map.ofEntries(
            Map.entry("SEED", "17"), Map.entry("START_TIME", "2024-12-03T10:00:00Z"), Map.entry("SPEED", "20"),
            Map.entry("OUT_OF_ORDER_FRACTION", "0"), Map.entry("LATE_FRACTION", "0"),
            Map.entry("CLICKSTREAM_DURATION", "5m"), Map.entry("RANDOM_VALUES_DURATION", "5m"),
            Map.entry("TWITTER_DURATION", "5m"), Map.entry("VOTERS_DURATION", "5m"),
            Map.entry("SCOTSMEN_DURATION", "5m"), Map.entry("BAGPIPE_DURATION", "5m"),
            Map.entry("WEATHER_COUNT", "8"), Map.entry("WEATHER_FILE_INTERVAL", "1s"));

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path runDir;

    @Test
    void shouldRunTheWholeChainToExactResultsAndStopEverythingOnCtrlC() throws Exception {
        for (String jar : JARS) {
            assertThat(ROOT.resolve(jar)).as("built by the reactor before this module (run mvn verify from the root)").exists();
        }
        int httpPort = FreePorts.next();
        // Kept in target/ after the run: what to read when this test fails.
        Path log = Files.createDirectories(Path.of("target")).resolve("local-stack.log");
        ProcessBuilder builder = new ProcessBuilder("bash", "deploy/run-local.sh").directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(DETERMINISTIC);
        builder.environment().putAll(Map.of("BROKER_PORT", Integer.toString(FreePorts.next()),
                "BROKER_CONTROLLER_PORT", Integer.toString(FreePorts.next()),
                "SIMULATOR_METRICS_PORT", Integer.toString(FreePorts.next()),
                "ANALYTICS_METRICS_PORT", Integer.toString(FreePorts.next()),
                "HTTP_PORT", Integer.toString(httpPort),
                "LOCAL_RUN_DIR", runDir.resolve("state").toString()));
        long started = System.nanoTime();
        Process stack = builder.start();
        try {
            // Until the consumer listens, connections are refused: that is waiting, not failing.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                assertThat(stack.isAlive()).as("stack running; log:%n%s", Files.readString(log)).isTrue();
                assertThat(results(httpPort, PipelineResults.SCOTSMEN_PER_DISTRICT)).isNotEmpty();
            });
            System.out.printf("first results on the REST API %d s after the start%n",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
            assertThat(Files.readString(log)).contains("Dashboard          http://localhost:" + httpPort + "/");

            SimulatorConfig config = simulatorConfig();
            Map<String, Map<String, Double>> expectedScotsmen = ReferenceResults.scotsmenPerDistrict(config);
            Map<String, Map<String, Double>> expectedImpressions = ReferenceResults.impressionsPerMinute(config);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
                assertThat(stack.isAlive()).as("stack running; log:%n%s", Files.readString(log)).isTrue();
                assertThat(metricsByKey(httpPort, PipelineResults.SCOTSMEN_PER_DISTRICT, expectedScotsmen))
                        .isEqualTo(expectedScotsmen);
                assertThat(metricsByKey(httpPort, PipelineResults.IMPRESSIONS_PER_MINUTE, expectedImpressions))
                        .isEqualTo(expectedImpressions);
            });

            // The simulator has sent its finite events and ended; broker, analytics and consumer keep running.
            assertThat(Files.readString(log)).contains("The simulator has sent all its events");
            // The services are the script's own children. Not its descendants: a service's own child process (Spark
            // starts rm for its temporary directories; Hadoop, without its native library, chmod) is an image of the
            // JVM until it execs, so it would count as one more java process.
            List<ProcessHandle> services = stack.children().filter(p -> p.info().command().orElse("").endsWith("java")).toList();
            assertThat(services).hasSize(3);
            new ProcessBuilder("kill", "-INT", Long.toString(stack.pid())).start().waitFor(10, TimeUnit.SECONDS);

            assertThat(stack.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();
            assertThat(stack.exitValue()).isZero();
            assertThat(services).noneMatch(ProcessHandle::isAlive);
            assertThat(Files.readString(log)).contains("Stopped.").contains("\"failed\":{\"bagpipe\":0,\"clickstream\":0,"
                    + "\"random-values\":0,\"scotsmen\":0,\"twitter\":0,\"voters\":0}");
            assertThat(weatherFiles()).hasSize(8);
        } finally {
            stack.descendants().forEach(ProcessHandle::destroyForcibly);
            stack.destroyForcibly();
        }
    }

    /** The simulator configuration the stack ran with: the same environment, parsed the same way. */
    private static SimulatorConfig simulatorConfig() {
        var commandLine = SimulatorCommand.commandLine(DETERMINISTIC);
        commandLine.parseArgs();
        return ((SimulatorCommand) commandLine.getCommand()).toConfig();
    }

    private List<JsonNode> results(int httpPort, PipelineResult pipeline) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + httpPort + "/api/results/" + pipeline.name() + "?limit=10000")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return List.of();
        }
        List<JsonNode> rows = new ArrayList<>();
        Json.MAPPER.readTree(response.body()).path("results").forEach(rows::add);
        return rows;
    }

    /** Result rows as key to the metrics the expectation names, rounded like it. */
    private Map<String, Map<String, Double>> metricsByKey(int httpPort, PipelineResult pipeline,
                                                         Map<String, Map<String, Double>> expected) throws Exception {
        Map<String, Map<String, Double>> actual = new TreeMap<>();
        for (JsonNode row : results(httpPort, pipeline)) {
            List<String> groups = pipeline.groupFields().stream().map(f -> row.path(f).asText()).toList();
            String key = pipeline.key(row.path(PipelineResult.WINDOW_START).asText(), groups);
            Map<String, Double> metrics = new HashMap<>();
            expected.getOrDefault(key, Map.of()).keySet()
                    .forEach(f -> metrics.put(f, ReferenceResults.round(row.path(f).asDouble())));
            actual.put(key, metrics);
        }
        return actual;
    }

    private List<Path> weatherFiles() throws IOException {
        try (Stream<Path> files = Files.list(runDir.resolve("state/weather"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList();
        }
    }
}
