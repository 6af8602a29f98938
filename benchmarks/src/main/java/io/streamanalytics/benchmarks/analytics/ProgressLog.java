package io.streamanalytics.benchmarks.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** Every micro-batch's progress report of every query it listens to, kept for the benchmark to read. */
final class ProgressLog extends StreamingQueryListener {

    /**
     * One finished micro-batch; {@code phases} is Spark's {@code durationMs} (milliseconds spent in
     * {@code latestOffset}, {@code queryPlanning}, {@code addBatch}, {@code walCommit}, {@code commitOffsets}...).
     */
    record Batch(Instant start, Instant end, long inputRows, Map<String, Long> endOffsets, Map<String, Long> phases) {}

    private final Map<UUID, List<Batch>> batches = new ConcurrentHashMap<>();

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        batches.put(event.id(), new CopyOnWriteArrayList<>());
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress p = event.progress();
        Map<String, Long> endOffsets = new TreeMap<>();
        for (SourceProgress source : p.sources()) {
            endOffsets.putAll(kafkaOffsets(source.endOffset()));
        }
        Instant start = Instant.parse(p.timestamp());
        batches.computeIfAbsent(p.id(), id -> new CopyOnWriteArrayList<>())
                .add(new Batch(
                        start,
                        start.plusMillis(p.batchDuration()),
                        p.numInputRows(),
                        endOffsets,
                        new TreeMap<>(p.durationMs())));
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}

    List<Batch> batches(UUID query) {
        return List.copyOf(batches.getOrDefault(query, List.of()));
    }

    /** The Kafka offsets up to which the query has processed, as {@code topic-partition} → next offset. */
    Map<String, Long> processedOffsets(UUID query) {
        List<Batch> done = batches(query);
        // An idle trigger before any data reports no offsets at all.
        for (int i = done.size() - 1; i >= 0; i--) {
            if (!done.get(i).endOffsets().isEmpty()) {
                return done.get(i).endOffsets();
            }
        }
        return Map.of();
    }

    /**
     * Kafka source offsets as Spark reports them, {@code {"topic":{"0":12,"1":7}}}; other sources (the weather
     * files) have none.
     */
    static Map<String, Long> kafkaOffsets(String json) {
        Map<String, Long> offsets = new TreeMap<>();
        if (json == null || !json.trim().startsWith("{")) {
            return offsets;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            root.fields().forEachRemaining(topic -> {
                if (topic.getValue().isObject()) {
                    topic.getValue().fields().forEachRemaining(partition -> {
                        if (partition.getValue().canConvertToLong()) {
                            offsets.put(
                                    topic.getKey() + "-" + partition.getKey(),
                                    partition.getValue().asLong());
                        }
                    });
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("unexpected source offsets " + json, e);
        }
        return offsets;
    }
}
