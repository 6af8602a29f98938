package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamanalytics.kafka.EmbeddedKafkaBroker;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.events.VoterEvent;
import io.streamanalytics.schemas.reference.Districts;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.testing.IntegrationTest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults from outside the records: the broker gone for 30 s, and one pipeline whose writes fail for a while. The
 * pipelines run under the service's own {@link PipelineSupervisor}; every result must end exact, and the service
 * must never give up.
 */
@IntegrationTest
class PipelineFaultsTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final Instant START = Instant.parse("2024-12-03T10:00:00Z");
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private EmbeddedKafkaBroker broker;
    private KafkaTestSupport kafka;
    private PipelineQueries app;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private CompletableFuture<Boolean> supervising;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void stopEverything() throws Exception {
        stopping.set(true);
        if (app != null) {
            app.stop();
        }
        if (supervising != null) {
            supervising.get();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldResumeEveryPipelineWithExactResultsAfterTheBrokerWasGoneFor30Seconds() throws Exception {
        // Fixed ports, data and cluster id, so the broker comes back as the same broker with the same records.
        EmbeddedKafkaBroker.Settings settings = new EmbeddedKafkaBroker.Settings(
                1,
                EmbeddedKafkaBroker.freePort(),
                EmbeddedKafkaBroker.freePort(),
                null,
                Uuid.randomUuid().toString(),
                work.resolve("kafka"),
                1,
                Duration.ofSeconds(60));
        broker = EmbeddedKafkaBroker.start(settings);
        kafka = new KafkaTestSupport(broker.bootstrapServers());
        List<ScotsmenEvent> conversions = conversions(600);
        List<VoterEvent> votes = votes(400);
        startSupervised("scotsmen_per_district,voter_stats");

        kafka.send(Topics.SCOTSMEN, conversions.subList(0, 300).toArray(ScotsmenEvent[]::new));
        kafka.send(Topics.VOTERS, votes.subList(0, 200).toArray(VoterEvent[]::new));
        await().atMost(TIMEOUT)
                .until(() ->
                        !kafka.latest(Topics.results("scotsmen_per_district")).isEmpty()
                                && !kafka.latest(Topics.results("voter_stats")).isEmpty());

        broker.close();
        Thread.sleep(OUTAGE.toMillis()); // the outage itself is what is under test
        assertThat(supervising)
                .as("the service must not give up while the broker is away")
                .isNotDone();
        broker = EmbeddedKafkaBroker.start(settings);

        kafka.send(Topics.SCOTSMEN, conversions.subList(300, 600).toArray(ScotsmenEvent[]::new));
        kafka.send(Topics.VOTERS, votes.subList(200, 400).toArray(VoterEvent[]::new));
        Map<String, Map<String, Number>> expectedDistricts = ReferenceWindows.scotsmenPerDistrict(conversions);
        Map<String, Map<String, Number>> expectedVotes = ReferenceWindows.voterStats(votes);
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(supervising).isNotDone();
            ReferenceWindows.assertResults(kafka.latest(Topics.results("scotsmen_per_district")), expectedDistricts);
            ReferenceWindows.assertResults(kafka.latest(Topics.results("voter_stats")), expectedVotes);
        });
        assertThat(app.queries().values()).allMatch(q -> q.isActive());
    }

    @Test
    void shouldKeepTheOtherPipelinesRunningWhileOneFailsAndBringItBack() throws Exception {
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.ephemeral());
        kafka = new KafkaTestSupport(broker.bootstrapServers());
        List<ScotsmenEvent> conversions = conversions(400);
        List<VoterEvent> votes = votes(300);
        startSupervised("scotsmen_per_district,voter_stats");
        // voter_stats' results no longer fit its topic: its Kafka sink fails, task after task, until this is undone.
        ConfigResource votersResults = new ConfigResource(ConfigResource.Type.TOPIC, Topics.results("voter_stats"));
        try (Admin admin = broker.admin()) {
            admin.incrementalAlterConfigs(Map.of(
                            votersResults,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("max.message.bytes", "64"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }

        kafka.send(Topics.VOTERS, votes.subList(0, 150).toArray(VoterEvent[]::new));
        kafka.send(Topics.SCOTSMEN, conversions.toArray(ScotsmenEvent[]::new));
        Map<String, Map<String, Number>> expectedDistricts = ReferenceWindows.scotsmenPerDistrict(conversions);
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            ReferenceWindows.assertResults(kafka.latest(Topics.results("scotsmen_per_district")), expectedDistricts);
            assertThat(restarts("voter_stats")).as("voter_stats restarted").isGreaterThanOrEqualTo(2);
        });
        assertThat(kafka.latest(Topics.results("voter_stats")))
                .as("nothing of voter_stats got through")
                .isEmpty();
        assertThat(restarts("scotsmen_per_district")).isZero();
        assertThat(app.queries().get("scotsmen_per_district").isActive()).isTrue();

        try (Admin admin = broker.admin()) {
            admin.incrementalAlterConfigs(Map.of(
                            votersResults,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE))))
                    .all()
                    .get();
        }
        kafka.send(Topics.VOTERS, votes.subList(150, 300).toArray(VoterEvent[]::new));
        Map<String, Map<String, Number>> expectedVotes = ReferenceWindows.voterStats(votes);
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(supervising).isNotDone();
            ReferenceWindows.assertResults(kafka.latest(Topics.results("voter_stats")), expectedVotes);
        });
        assertThat(app.queries().get("voter_stats").isActive()).isTrue();
    }

    private void startSupervised(String pipelines) {
        AnalyticsConfig config = AnalyticsConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "CHECKPOINT_DIR", work.resolve("checkpoints").toString(),
                "PIPELINES", pipelines,
                "TRIGGER_INTERVAL", "1s",
                "RESTART_BACKOFF", "1s",
                "RESTART_BACKOFF_MAX", "4s",
                // A refused result fails its task after 5 s instead of the producer's default 2 minutes.
                "KAFKA_DELIVERY_TIMEOUT_MS", "5000",
                "KAFKA_REQUEST_TIMEOUT_MS", "4000"));
        app = new PipelineQueries(
                config, SparkTestSession.get(), List.of(new QueryMetrics(registry, Clock.systemUTC())));
        app.start();
        PipelineSupervisor supervisor = new PipelineSupervisor(app, config, registry, Clock.systemUTC());
        supervising = CompletableFuture.supplyAsync(() -> {
            try {
                return supervisor.run(stopping::get);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private double restarts(String pipeline) {
        Counter counter = registry.find("analytics_query_restarts_total")
                .tag("pipeline", pipeline)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** In event-time order, so no watermark drops any. */
    private static List<ScotsmenEvent> conversions(int count) {
        Random random = new Random(3);
        List<ScotsmenEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new ScotsmenEvent(
                    Districts.ALL.get(random.nextInt(Districts.ALL.size())).name(),
                    1 + random.nextInt(20),
                    START.plusMillis(500L * i)));
        }
        return events;
    }

    private static List<VoterEvent> votes(int count) {
        Random random = new Random(5);
        List<VoterEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new VoterEvent(
                    random.nextBoolean() ? "female" : "male",
                    18 + random.nextInt(73),
                    List.of("Green", "Red", "Blue").get(random.nextInt(3)),
                    START.plusMillis(700L * i)));
        }
        return events;
    }
}
