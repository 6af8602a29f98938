package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamanalytics.schemas.topics.EventTopic;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's run command, as a user runs it: start, see events flow, Ctrl-C, everything gone. */
class LocalStackTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path runDir;

    @Test
    void shouldStartBrokerAndSimulatorAndStopEverythingOnCtrlC() throws Exception {
        for (String jar : List.of("embedded-kafka/target/embedded-kafka.jar", "producer-simulator/target/producer-simulator.jar")) {
            assertThat(ROOT.resolve(jar)).as("built by the reactor before this module (run mvn verify from the root)").exists();
        }
        int brokerPort = freePort();
        int metricsPort = freePort();
        Path log = runDir.resolve("stack.log");
        ProcessBuilder builder = new ProcessBuilder("bash", "deploy/run-local.sh").directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("BROKER_PORT", Integer.toString(brokerPort),
                "BROKER_CONTROLLER_PORT", Integer.toString(freePort()),
                "SIMULATOR_METRICS_PORT", Integer.toString(metricsPort),
                "LOCAL_RUN_DIR", runDir.resolve("state").toString(),
                "WEATHER_FILE_INTERVAL", "1s"));
        Process stack = builder.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + brokerPort))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(stack.isAlive()).as("stack running; log:%n%s", Files.readString(log)).isTrue();
                for (EventTopic<?> topic : Topics.INPUTS) {
                    assertThat(recordsIn(admin, topic.name())).as(topic.name()).isPositive();
                }
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(weatherFiles()).isNotEmpty());
            String metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("simulator_events_sent_total{topic=\"scotsmen\"}");

            List<ProcessHandle> services = stack.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).toList();
            assertThat(services).hasSize(2);
            new ProcessBuilder("kill", "-INT", Long.toString(stack.pid())).start().waitFor(10, TimeUnit.SECONDS);

            assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            assertThat(stack.exitValue()).isZero();
            assertThat(services).noneMatch(ProcessHandle::isAlive);
            String output = Files.readString(log);
            assertThat(output).contains("Stopped.").contains("\"failed\":{\"bagpipe\":0,\"clickstream\":0,"
                    + "\"random-values\":0,\"scotsmen\":0,\"twitter\":0,\"voters\":0}");
        } finally {
            stack.descendants().forEach(ProcessHandle::destroyForcibly);
            stack.destroyForcibly();
        }
    }

    private static long recordsIn(Admin admin, String topic) throws Exception {
        if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
            return 0;
        }
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = Stream.iterate(0, p -> p + 1).limit(partitions)
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    private List<Path> weatherFiles() throws IOException {
        Path dir = runDir.resolve("state/weather");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
