package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamanalytics.common.ExitCode;
import io.streamanalytics.kafka.EmbeddedKafkaBroker;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.events.VoterEvent;
import io.streamanalytics.schemas.reference.District;
import io.streamanalytics.schemas.reference.Districts;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.testing.IntegrationTest;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link AnalyticsMain} as a separate JVM, configured only through its environment: killed hard and
 * restarted, and restarted on a checkpoint whose input topic was wiped.
 */
@IntegrationTest
class AnalyticsProcessTest {

    private static final Instant START = Instant.parse("2024-12-03T10:00:00Z");
    private static final int SCOTSMEN_EVENTS = 3_000;
    private static final int VOTER_EVENTS = 2_000;
    private static final int CHUNKS = 30;
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path work;

    private EmbeddedKafkaBroker broker;
    private KafkaTestSupport kafka;
    private Process analytics;

    @BeforeEach
    void startBroker() {
        // A broker of its own: the topic names are fixed by the contract and the shared broker has other data.
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.ephemeral());
        kafka = new KafkaTestSupport(broker.bootstrapServers());
    }

    @AfterEach
    void stopEverything() {
        if (analytics != null) {
            analytics.destroyForcibly();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Kills the analytics with SIGKILL while events are still streaming in, starts it again on the same
     * checkpoints and checks every final result against a plain-Java computation over the generated events.
     * Events are produced in event-time order, so no watermark ever drops one and the reference needs no notion
     * of batches.
     */
    @Test
    void shouldEndWithExactResultsAfterBeingKilledMidStream() throws Exception {
        List<ScotsmenEvent> conversions = conversions();
        List<VoterEvent> votes = votes();

        analytics = startAnalytics("first-run.log");
        sendChunk(conversions, votes, 0);
        await().atMost(TIMEOUT)
                .until(() ->
                        !kafka.latest(Topics.results("scotsmen_per_district")).isEmpty() || !analytics.isAlive());
        assertThat(analytics.isAlive())
                .as("analytics died on its own, see first-run.log")
                .isTrue();

        // The rest streams in over about 15 s; the kill lands a few chunks in, while records keep arriving.
        AtomicInteger chunksSent = new AtomicInteger(1);
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            for (int chunk = 1; chunk < CHUNKS; chunk++) {
                sendChunk(conversions, votes, chunk);
                chunksSent.incrementAndGet();
                pause(500);
            }
        });
        await().atMost(TIMEOUT).until(() -> chunksSent.get() >= 5 || producing.isDone());
        assertThat(producing)
                .as("the kill must come while events are still arriving")
                .isNotDone();
        analytics.destroyForcibly().waitFor();

        analytics = startAnalytics("second-run.log");
        producing.get();

        Map<String, Map<String, Number>> expectedDistricts = ReferenceWindows.scotsmenPerDistrict(conversions);
        Map<String, Map<String, Number>> expectedVotes = ReferenceWindows.voterStats(votes);
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(analytics.isAlive())
                    .as("analytics died, see second-run.log")
                    .isTrue();
            ReferenceWindows.assertResults(kafka.latest(Topics.results("scotsmen_per_district")), expectedDistricts);
            ReferenceWindows.assertResults(kafka.latest(Topics.results("voter_stats")), expectedVotes);
        });
    }

    @Test
    void shouldExitWithInstructionsWhenTheCheckpointedOffsetsNoLongerExist() throws Exception {
        List<ScotsmenEvent> conversions = conversions().subList(0, 50);
        analytics = startAnalytics("before-wipe.log", "scotsmen_per_district");
        kafka.send(Topics.SCOTSMEN, conversions.toArray(ScotsmenEvent[]::new));
        await().atMost(TIMEOUT)
                .until(() -> !analytics.isAlive()
                        || kafka.latest(Topics.results("scotsmen_per_district")).values().stream()
                                        .mapToLong(r -> r.get("event_count").asLong())
                                        .sum()
                                == conversions.size());
        assertThat(analytics.isAlive())
                .as("analytics died on its own, see before-wipe.log")
                .isTrue();
        analytics.destroyForcibly().waitFor();

        try (Admin admin = broker.admin()) {
            admin.deleteTopics(List.of(Topics.SCOTSMEN.topicName())).all().get();
            await().atMost(TIMEOUT)
                    .until(() -> !admin.listTopics().names().get().contains(Topics.SCOTSMEN.topicName()));
        }
        kafka.send(Topics.SCOTSMEN, conversions.subList(0, 5).toArray(ScotsmenEvent[]::new));

        analytics = startAnalytics("after-wipe.log", "scotsmen_per_district");
        assertThat(analytics.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .as("analytics must stop")
                .isTrue();
        assertThat(analytics.exitValue()).isEqualTo(ExitCode.FAILED.code());
        String log = Files.readString(work.resolve("after-wipe.log"));
        assertThat(log)
                .contains("Pipeline scotsmen_per_district stopped: its checkpoint " + work.resolve("checkpoints")
                        + "/scotsmen_per_district/v1 refers to Kafka offsets that no longer exist")
                .contains("scotsmen-0 ends at offset 5 but the checkpoint is at 50")
                .contains("stop the analytics and delete " + work.resolve("checkpoints") + "/scotsmen_per_district/v1");
    }

    @Test
    void shouldStopPromptlyOnSigtermWhileStillWaitingForKafka() throws Exception {
        String nobody = "127.0.0.1:" + EmbeddedKafkaBroker.freePort();
        analytics = startAnalytics("no-kafka.log", "scotsmen_per_district", Map.of("KAFKA_BOOTSTRAP_SERVERS", nobody));
        Path log = work.resolve("no-kafka.log");
        await().atMost(TIMEOUT)
                .until(() -> !analytics.isAlive()
                        || Files.readString(log).contains("Checking the topics on Kafka at " + nobody));
        assertThat(analytics.isAlive())
                .as("analytics died on its own, see no-kafka.log")
                .isTrue();

        // The start waits up to a minute for Kafka; the stop must not wait for the start.
        analytics.destroy();
        assertThat(analytics.waitFor(20, TimeUnit.SECONDS))
                .as("stopped within 20 s of SIGTERM")
                .isTrue();
        assertThat(analytics.exitValue())
                .as("the exit status of a JVM ended by SIGTERM")
                .isEqualTo(128 + 15);
        assertThat(Files.readString(log))
                .contains("stream-analytics shutting down")
                .doesNotContain("Started pipeline");
    }

    private void sendChunk(List<ScotsmenEvent> conversions, List<VoterEvent> votes, int chunk) {
        kafka.send(Topics.SCOTSMEN, slice(conversions, chunk).toArray(ScotsmenEvent[]::new));
        kafka.send(Topics.VOTERS, slice(votes, chunk).toArray(VoterEvent[]::new));
    }

    private static <T> List<T> slice(List<T> events, int chunk) {
        return events.subList(chunk * events.size() / CHUNKS, (chunk + 1) * events.size() / CHUNKS);
    }

    private static List<ScotsmenEvent> conversions() {
        Random random = new Random(42);
        List<District> districts = Districts.ALL;
        List<ScotsmenEvent> events = new ArrayList<>();
        for (int i = 0; i < SCOTSMEN_EVENTS; i++) {
            events.add(new ScotsmenEvent(
                    districts.get(random.nextInt(districts.size())).name(),
                    1 + random.nextInt(20),
                    START.plusMillis(400L * i)));
        }
        return events;
    }

    private static List<VoterEvent> votes() {
        Random random = new Random(7);
        List<String> genders = List.of("female", "male", "other");
        List<String> parties = List.of("Democrat", "Republican", "Green", "Independent");
        List<VoterEvent> events = new ArrayList<>();
        for (int i = 0; i < VOTER_EVENTS; i++) {
            events.add(new VoterEvent(
                    genders.get(random.nextInt(genders.size())),
                    18 + random.nextInt(73),
                    parties.get(random.nextInt(parties.size())),
                    START.plusMillis(600L * i)));
        }
        return events;
    }

    /** The real main class in a JVM of its own, on the test classpath, configured only through the environment. */
    private Process startAnalytics(String logName) throws Exception {
        return startAnalytics(logName, "scotsmen_per_district,voter_stats");
    }

    private Process startAnalytics(String logName, String pipelines) throws Exception {
        return startAnalytics(logName, pipelines, Map.of());
    }

    private Process startAnalytics(String logName, String pipelines, Map<String, String> overrides) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions"))
                .forEach(command::add);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AnalyticsMain.class.getName());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File(work.toFile(), logName));
        builder.environment()
                .putAll(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                        "CHECKPOINT_DIR", work.resolve("checkpoints").toString(),
                        "PIPELINES", pipelines,
                        "SPARK_MASTER", "local[2]",
                        "SHUFFLE_PARTITIONS", "2",
                        "TRIGGER_INTERVAL", "1s",
                        "METRICS_PORT", "0",
                        "SPARK_LOCAL_IP", "127.0.0.1"));
        builder.environment().putAll(overrides);
        return builder.start();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
