package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.kafka.EmbeddedKafkaBroker;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.testing.IntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code BATCH_SCHEDULE=staggered} against a real broker: while events trickle in, a query runs a micro-batch once
 * per its own interval, not on every tick it is polled at; a backlog of full batches drains back to back; and the
 * results are exact either way.
 */
@IntegrationTest
class BatchScheduleTest {

    private static final Duration INTERVAL = Duration.ofSeconds(4);
    private static final Duration TICK = PipelineQueries.staggerTick(INTERVAL);
    private static final int FULL_BATCH = 200;
    private static final int TRICKLED = 40;
    private static final int BACKLOG = 5 * FULL_BATCH;
    private static final Instant WINDOW = Instant.parse("2023-03-01T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    static Path work;

    private static EmbeddedKafkaBroker broker;
    private static PipelineQueries app;
    private static KafkaTestSupport kafka;
    private static StreamingQuery query;

    @BeforeAll
    static void start() {
        // A broker of its own: the topic names are fixed by the contract, and EndToEndTest counts the offsets of the
        // shared broker's topics.
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.ephemeral());
        AnalyticsConfig config = AnalyticsConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                broker.bootstrapServers(),
                "CHECKPOINT_DIR",
                work.resolve("checkpoints").toString(),
                "PIPELINES",
                "scotsmen_per_district",
                "TRIGGER_INTERVAL",
                INTERVAL.toSeconds() + "s",
                "BATCH_SCHEDULE",
                "staggered",
                "MAX_OFFSETS_PER_TRIGGER",
                Integer.toString(FULL_BATCH)));
        kafka = new KafkaTestSupport(broker.bootstrapServers());
        app = new PipelineQueries(config, SparkTestSession.get(), List.of());
        app.start();
        query = app.queries().get("scotsmen_per_district");
        await().atMost(TIMEOUT).until(() -> query.lastProgress() != null);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRunTrickledEventsOncePerIntervalAndDrainABacklogBackToBack() throws Exception {
        long trickleStart = System.currentTimeMillis();
        for (int i = 0; i < TRICKLED; i++) {
            kafka.send(Topics.SCOTSMEN, new ScotsmenEvent("Lisboa", 1, WINDOW.plusSeconds(i)));
            // Pacing the producer, not waiting for a result: events arrive over 10 s, 2.5 intervals.
            Thread.sleep(250);
        }
        awaitCount("Lisboa", TRICKLED);
        List<StreamingQueryProgress> trickle = batchesWithInput(trickleStart);
        assertThat(trickle)
                .as("%d events over 10 s in batches of one interval, not one per %s tick", TRICKLED, TICK)
                .hasSizeBetween(2, 5);
        for (int i = 1; i < trickle.size(); i++) {
            assertThat(startMillis(trickle.get(i)) - startMillis(trickle.get(i - 1)))
                    .as(
                            "start of batch %d after the one before (ms)",
                            trickle.get(i).batchId())
                    .isGreaterThanOrEqualTo(INTERVAL.minus(TICK).toMillis());
        }

        long backlogStart = System.currentTimeMillis();
        kafka.send(
                Topics.SCOTSMEN,
                IntStream.range(0, BACKLOG)
                        .mapToObj(i -> new ScotsmenEvent("Porto", 2, WINDOW.plusSeconds(60 + i % 100)))
                        .toArray(ScotsmenEvent[]::new));
        awaitCount("Porto", BACKLOG);
        List<StreamingQueryProgress> full = batchesWithInput(backlogStart).stream()
                .filter(b -> b.numInputRows() == FULL_BATCH)
                .toList();
        assertThat(full).as("the backlog in full batches").hasSizeGreaterThanOrEqualTo(BACKLOG / FULL_BATCH - 1);
        for (int i = 1; i < full.size(); i++) {
            StreamingQueryProgress before = full.get(i - 1);
            assertThat(startMillis(full.get(i)) - (startMillis(before) + before.batchDuration()))
                    .as(
                            "wait between full batches %d and %d (ms)",
                            before.batchId(), full.get(i).batchId())
                    .isLessThan(TICK.plusSeconds(1).toMillis());
        }

        JsonNode porto = results().get("scotsmen_per_district|2023-03-01T10:00:00Z|Porto");
        assertThat(porto.get("total_new_scotsmen").asLong()).isEqualTo(2L * BACKLOG);
        assertThat(results()
                        .get("scotsmen_per_district|2023-03-01T10:00:00Z|Lisboa")
                        .get("total_new_scotsmen")
                        .asLong())
                .isEqualTo(TRICKLED);
    }

    private static void awaitCount(String district, int count) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(query.isActive()).as("query running").isTrue();
            JsonNode result = results().get("scotsmen_per_district|2023-03-01T10:00:00Z|" + district);
            assertThat(result).isNotNull();
            assertThat(result.get("event_count").asInt()).isEqualTo(count);
        });
    }

    private static Map<String, JsonNode> results() {
        return kafka.latest(Topics.results("scotsmen_per_district"));
    }

    /** The query's micro-batches that read something, started at or after {@code from} (epoch millis). */
    private static List<StreamingQueryProgress> batchesWithInput(long from) {
        return Arrays.stream(query.recentProgress())
                .filter(b -> b.numInputRows() > 0 && startMillis(b) >= from)
                .toList();
    }

    private static long startMillis(StreamingQueryProgress batch) {
        return Instant.parse(batch.timestamp()).toEpochMilli();
    }
}
