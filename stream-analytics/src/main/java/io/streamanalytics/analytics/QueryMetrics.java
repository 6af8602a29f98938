package io.streamanalytics.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Turns every micro-batch's progress report into Prometheus meters, tagged by pipeline (the query name).
 * Gauges hold the latest batch's value; counters add up across batches.
 */
public final class QueryMetrics extends StreamingQueryListener {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, GaugeValue> gauges = new ConcurrentHashMap<>();
    private final Map<UUID, String> pipelineByQuery = new ConcurrentHashMap<>();

    public QueryMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        pipelineByQuery.put(event.id(), event.name());
        active(event.name()).set(1);
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        String pipeline = pipelineByQuery.remove(event.id());
        if (pipeline != null) {
            active(pipeline).set(0);
        }
    }

    private GaugeValue active(String pipeline) {
        return gauge("analytics_query_active", "1 while the pipeline's query runs", pipeline, Tags.empty());
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress progress = event.progress();
        String pipeline = progress.name();
        gauge(
                        "analytics_input_rows_per_second",
                        "Rows arriving per second in the last micro-batch",
                        pipeline,
                        Tags.empty())
                .set(finite(progress.inputRowsPerSecond()));
        gauge(
                        "analytics_processed_rows_per_second",
                        "Rows processed per second in the last micro-batch",
                        pipeline,
                        Tags.empty())
                .set(finite(progress.processedRowsPerSecond()));
        Counter.builder("analytics_input_rows_total")
                .description("Input rows read (all sources)")
                .tags("pipeline", pipeline)
                .register(registry)
                .increment(progress.numInputRows());
        Timer.builder("analytics_batch_duration")
                .description("Wall time of a micro-batch")
                .tags("pipeline", pipeline)
                .register(registry)
                .record(Duration.ofMillis(progress.batchDuration()));

        long stateRows = 0;
        long stateBytes = 0;
        long lateRows = 0;
        for (StateOperatorProgress op : progress.stateOperators()) {
            stateRows += op.numRowsTotal();
            stateBytes += op.memoryUsedBytes();
            lateRows += op.numRowsDroppedByWatermark();
        }
        gauge("analytics_state_rows", "Rows held in streaming state", pipeline, Tags.empty())
                .set(stateRows);
        gauge("analytics_state_memory_bytes", "Memory used by streaming state", pipeline, Tags.empty())
                .set(stateBytes);
        Counter.builder("analytics_late_rows_dropped_total")
                .description("Rows dropped because they arrived behind the watermark (late events)")
                .tags("pipeline", pipeline)
                .register(registry)
                .increment(lateRows);

        String watermark = progress.eventTime().get("watermark");
        if (watermark != null) {
            Instant mark = Instant.parse(watermark);
            // Before the first event the watermark is the epoch; a 56-year delay would only be noise.
            if (mark.isAfter(Instant.EPOCH)) {
                gauge(
                                "analytics_watermark_delay_seconds",
                                "How far the watermark is behind the wall clock",
                                pipeline,
                                Tags.empty())
                        .set(Duration.between(mark, clock.instant()).toMillis() / 1000.0);
            }
        }

        for (SourceProgress source : progress.sources()) {
            String behind = source.metrics().get("maxOffsetsBehindLatest");
            if (behind != null) {
                gauge(
                                "analytics_max_offsets_behind_latest",
                                "Kafka lag: most offsets any partition is behind",
                                pipeline,
                                Tags.of("source", source.description()))
                        .set(Double.parseDouble(behind));
            }
        }

        progress.observedMetrics().forEach((name, row) -> {
            if (name.startsWith(PipelineQueries.DEAD_LETTER_OBSERVATION_PREFIX)) {
                Counter.builder("analytics_dead_letters_total")
                        .description("Input records sent to the dead-letter topic")
                        .tags(
                                "pipeline",
                                pipeline,
                                "topic",
                                name.substring(PipelineQueries.DEAD_LETTER_OBSERVATION_PREFIX.length()))
                        .register(registry)
                        .increment(deadLetters(row));
            }
        });
    }

    private static long deadLetters(Row row) {
        return row.getLong(row.fieldIndex(PipelineQueries.DEAD_LETTER_COUNT));
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }

    private GaugeValue gauge(String name, String description, String pipeline, Tags extra) {
        Tags tags = Tags.of("pipeline", pipeline).and(extra);
        return gauges.computeIfAbsent(name + "|" + tags, key -> {
            GaugeValue value = new GaugeValue();
            Gauge.builder(name, value, v -> v.value)
                    .description(description)
                    .tags(tags)
                    .register(registry);
            return value;
        });
    }

    private static final class GaugeValue {
        private volatile double value;

        void set(double newValue) {
            value = newValue;
        }
    }
}
