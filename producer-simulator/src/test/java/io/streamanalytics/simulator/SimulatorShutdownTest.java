package io.streamanalytics.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.common.KafkaTopicAdmin;
import io.streamanalytics.kafka.SharedKafkaBroker;
import io.streamanalytics.kafka.TopicTail;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.generate.EventStream;
import io.streamanalytics.testing.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a running simulator process: everything it acknowledged is in Kafka, and nothing else is. */
@IntegrationTest
class SimulatorShutdownTest {

    private static final String BOOTSTRAP = SharedKafkaBroker.get().bootstrapServers();

    @TempDir
    Path tmp;

    @Test
    void shouldLoseNoAcknowledgedEventWhenStoppedBySigterm() throws Exception {
        String[] args = {
            "--seed",
            "7",
            "--start-time",
            "2024-12-03T10:00:00Z",
            "--scotsmen-rate",
            "2000",
            "--clickstream-enabled",
            "false",
            "--random-values-enabled",
            "false",
            "--twitter-enabled",
            "false",
            "--voters-enabled",
            "false",
            "--bagpipe-enabled",
            "false",
            "--weather-enabled",
            "false",
            "--metrics-port",
            "0"
        };
        SimulatorConfig config = SimulatorKafkaTest.config(args);
        KafkaTopicAdmin.ensureExist(
                config.kafka(),
                List.of(KafkaTopicAdmin.inputTopic("scotsmen", Optional.of(3), Optional.of((short) 1))));
        Path log = tmp.resolve("simulator.log");

        try (TopicTail tail = TopicTail.fromEnd(BOOTSTRAP, List.of("scotsmen"))) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    SimulatorMain.class.getName()));
            // The same options as the config above, so the expected stream is the one the process sends.
            command.addAll(List.of(SimulatorKafkaTest.QUIET));
            command.addAll(List.of(args));
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP);
            Process simulator = builder.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> tail.appendedSinceMark("scotsmen") > 3000);
                simulator.destroy(); // SIGTERM
                assertThat(simulator.waitFor(30, TimeUnit.SECONDS))
                        .as("exited within 30 s")
                        .isTrue();
            } finally {
                simulator.destroyForcibly();
            }

            long acknowledged =
                    summary(log).path("acknowledged").path("scotsmen").asLong(-1);
            List<String> received = tail.readToEnd(Duration.ofSeconds(60)).get("scotsmen").stream()
                    .map(r -> SimulatorKafkaTest.describe(r.topic(), r.key(), r.value(), r.timestamp()))
                    .sorted()
                    .toList();
            assertThat(acknowledged).isGreaterThan(3000);
            assertThat(received).hasSize((int) acknowledged);
            // And they are exactly the first events of the deterministic stream: none lost in between.
            EventStream<?> stream = Simulator.stream(config, config.streams().get(4));
            List<String> expected = new ArrayList<>();
            for (long i = 0; i < acknowledged; i++) {
                expected.add(SimulatorKafkaTest.describe(stream.next()));
            }
            expected.sort(null);
            assertThat(received).isEqualTo(expected);
        }
    }

    private static JsonNode summary(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String line = lines.stream()
                .filter(l -> l.contains("SimulatorApp - summary "))
                .reduce((first, second) -> second)
                .orElseThrow(
                        () -> new AssertionError("no summary in the simulator's log:\n" + String.join("\n", lines)));
        return Json.MAPPER.readTree(line.substring(line.indexOf("summary ") + "summary ".length()));
    }
}
