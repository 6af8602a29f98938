package io.streamanalytics.analytics;

import io.streamanalytics.analytics.pipelines.EventTimeParams;
import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.analytics.pipelines.Pipelines;
import io.streamanalytics.common.EnvironmentReader;
import io.streamanalytics.common.KafkaClientProperties;
import io.streamanalytics.schemas.validate.EventTimeBounds;
import io.streamanalytics.schemas.validate.EventValidator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Everything the analytics service can be told, read from the environment in one place, with named defaults
 * and validation. Per-pipeline overrides are {@code <PIPELINE>_WINDOW}, {@code <PIPELINE>_SLIDE},
 * {@code <PIPELINE>_WATERMARK} and {@code <PIPELINE>_TRIGGER_INTERVAL}, e.g.
 * {@code SCOTSMEN_PER_DISTRICT_WATERMARK=45s}; {@code TRIGGER_INTERVAL} sets the trigger of every pipeline that has
 * no override of its own.
 *
 * @param kafka Kafka client properties ({@code KAFKA_BOOTSTRAP_SERVERS} and any {@code KAFKA_*})
 * @param checkpointDir root of the per-pipeline checkpoint directories (any Hadoop file system URI)
 * @param pipelines the pipelines to run, in catalogue order, with their effective event-time parameters
 * @param triggers how often each pipeline's query runs a micro-batch
 * @param batchSchedule when those micro-batches start
 * @param sparkMaster the master to use; empty means "whatever spark-submit gave, else local[*]"
 * @param maxOffsetsPerTrigger the most records a query reads in one micro-batch, over all its partitions
 * @param inputLimits which input records are accepted at all (size, event-time skew); the rest are dead letters
 * @param restartBackoff how long a failed pipeline waits before its first restart; doubles per failure in a row
 * @param restartBackoffMax the longest wait between restarts
 */
public record AnalyticsConfig(
        Map<String, String> kafka,
        String checkpointDir,
        Map<Pipeline, EventTimeParams> pipelines,
        Map<Pipeline, Duration> triggers,
        BatchSchedule batchSchedule,
        Optional<String> sparkMaster,
        int metricsPort,
        int shufflePartitions,
        String startingOffsets,
        long maxOffsetsPerTrigger,
        String weatherDir,
        int weatherMaxFilesPerTrigger,
        EventValidator.Limits inputLimits,
        Duration restartBackoff,
        Duration restartBackoffMax) {

    public static final String DEFAULT_CHECKPOINT_DIR = "./checkpoints";
    public static final String ALL_PIPELINES = "all";
    public static final int DEFAULT_METRICS_PORT = 9402;
    public static final BatchSchedule DEFAULT_BATCH_SCHEDULE = BatchSchedule.ALIGNED;
    /** Small on purpose: each stateful micro-batch runs this many tasks, and the default 200 idles on few cores. */
    public static final int DEFAULT_SHUFFLE_PARTITIONS = 2;
    public static final String DEFAULT_STARTING_OFFSETS = "earliest";
    public static final String DEFAULT_WEATHER_DIR = "./weather";
    /** The scotsmen notebook's NUM_FILES_PER_TRIGGER (docs/notebooks.md). */
    public static final int DEFAULT_WEATHER_MAX_FILES_PER_TRIGGER = 3;
    /**
     * A flood or the backlog of a long outage is drained in micro-batches of bounded memory and duration, yet far
     * above a live batch (docs/benchmarks.md has the drain rate with it).
     */
    public static final long DEFAULT_MAX_OFFSETS_PER_TRIGGER = 500_000;
    public static final Duration DEFAULT_RESTART_BACKOFF = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RESTART_BACKOFF_MAX = Duration.ofMinutes(1);

    public AnalyticsConfig {
        kafka = Map.copyOf(kafka);
        pipelines = Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
        triggers = Map.copyOf(triggers);
        if (!triggers.keySet().equals(pipelines.keySet())) {
            throw new IllegalArgumentException("a trigger for every pipeline, and only those: " + triggers.keySet());
        }
    }

    /**
     * When a query's micro-batches start. Either way a query plans its next batch only after its last one ended.
     */
    public enum BatchSchedule {
        /**
         * Spark's processing-time trigger: at multiples of the interval since the epoch, so all queries with the
         * same interval plan, run and commit at the same instants and queue for the same cores.
         */
        ALIGNED,
        /**
         * Each query keeps the phase of its own first batch: it is polled on a short tick, and the Kafka source
         * holds a batch back until the interval has passed since that query's last one (its
         * {@code maxTriggerDelay}) unless a full batch is waiting ({@code minOffsetsPerTrigger}), so queries
         * started at different moments stay spread over the interval.
         */
        STAGGERED
    }

    public Duration trigger(Pipeline pipeline) {
        return triggers.get(pipeline);
    }

    public static AnalyticsConfig fromEnvironment(Map<String, String> env) {
        EnvironmentReader reader = new EnvironmentReader(env);
        Map<String, String> kafka = KafkaClientProperties.mapFromEnvironment(env);

        Map<Pipeline, EventTimeParams> pipelines = new LinkedHashMap<>();
        Map<Pipeline, Duration> triggers = new LinkedHashMap<>();
        // Unset (or invalid, already reported): each pipeline's own default.
        Duration allTriggers = positive(reader, "TRIGGER_INTERVAL", null);
        for (Pipeline pipeline : selectedPipelines(reader.string("PIPELINES", ALL_PIPELINES), reader)) {
            String prefix = pipeline.name().toUpperCase(Locale.ROOT) + "_";
            EventTimeParams defaults = pipeline.defaults();
            Duration window = reader.duration(prefix + "WINDOW", defaults.window());
            // A tumbling window stays tumbling when only its length is overridden.
            Duration defaultSlide = defaults.slide().equals(defaults.window()) ? window : defaults.slide();
            Duration slide = reader.duration(prefix + "SLIDE", defaultSlide);
            Duration watermark = reader.duration(prefix + "WATERMARK", defaults.watermark());
            Duration fallback = allTriggers != null ? allTriggers : pipeline.trigger();
            triggers.put(pipeline, positive(reader, prefix + "TRIGGER_INTERVAL", fallback));
            try {
                pipelines.put(pipeline, new EventTimeParams(window, slide, watermark));
            } catch (IllegalArgumentException e) {
                reader.problem(prefix + "*: " + e.getMessage());
            }
        }

        String startingOffsets = reader.string("STARTING_OFFSETS", DEFAULT_STARTING_OFFSETS);
        if (!startingOffsets.equals("earliest") && !startingOffsets.equals("latest") && !startingOffsets.startsWith("{")) {
            reader.problem("STARTING_OFFSETS must be earliest, latest or Spark's per-partition JSON, got " + startingOffsets);
        }
        long maxOffsets = reader.integer("MAX_OFFSETS_PER_TRIGGER", DEFAULT_MAX_OFFSETS_PER_TRIGGER, 1L, Long.MAX_VALUE);
        int maxRecordBytes = reader.integer("MAX_RECORD_BYTES", EventValidator.DEFAULT_MAX_RECORD_BYTES, 1,
                Integer.MAX_VALUE);
        Duration maxAhead = reader.duration("MAX_EVENT_TIME_AHEAD", EventTimeBounds.DEFAULT_MAX_AHEAD);
        Duration restartBackoff = reader.duration("RESTART_BACKOFF", DEFAULT_RESTART_BACKOFF);
        Duration restartBackoffMax = reader.duration("RESTART_BACKOFF_MAX", DEFAULT_RESTART_BACKOFF_MAX);
        if (restartBackoffMax.compareTo(restartBackoff) < 0) {
            reader.problem("RESTART_BACKOFF_MAX (" + restartBackoffMax + ") must be at least RESTART_BACKOFF ("
                    + restartBackoff + ")");
        }
        int metricsPort = reader.integer("METRICS_PORT", DEFAULT_METRICS_PORT, 0, 65_535);
        int shufflePartitions = reader.integer("SHUFFLE_PARTITIONS", DEFAULT_SHUFFLE_PARTITIONS, 1, 10_000);
        int maxFiles = reader.integer("WEATHER_MAX_FILES_PER_TRIGGER", DEFAULT_WEATHER_MAX_FILES_PER_TRIGGER, 1,
                1_000_000);
        BatchSchedule schedule = reader.choice("BATCH_SCHEDULE", BatchSchedule.class, DEFAULT_BATCH_SCHEDULE);
        reader.requireValid();
        return new AnalyticsConfig(kafka,
                reader.string("CHECKPOINT_DIR", DEFAULT_CHECKPOINT_DIR),
                pipelines, triggers, schedule,
                reader.optional("SPARK_MASTER"),
                metricsPort, shufflePartitions, startingOffsets, maxOffsets,
                reader.string("WEATHER_DIR", DEFAULT_WEATHER_DIR),
                maxFiles,
                new EventValidator.Limits(maxRecordBytes, new EventTimeBounds(maxAhead)),
                restartBackoff, restartBackoffMax);
    }

    /** A log line of the whole configuration, Kafka secrets redacted. */
    public String describe() {
        Properties props = new Properties();
        props.putAll(kafka);
        String pipelineParams = pipelines.entrySet().stream()
                .map(e -> e.getKey().name() + "(" + e.getValue().fingerprint() + ",trigger=" + trigger(e.getKey()) + ")")
                .collect(Collectors.joining(", "));
        return "kafka=" + KafkaClientProperties.redacted(props)
                + " checkpointDir=" + checkpointDir
                + " sparkMaster=" + sparkMaster.orElse("<spark-submit's or local[*]>")
                + " metricsPort=" + metricsPort
                + " batchSchedule=" + batchSchedule
                + " shufflePartitions=" + shufflePartitions
                + " startingOffsets=" + startingOffsets
                + " maxOffsetsPerTrigger=" + maxOffsetsPerTrigger
                + " maxRecordBytes=" + inputLimits.maxRecordBytes()
                + " maxEventTimeAhead=" + inputLimits.eventTime().maxAhead()
                + " restartBackoff=" + restartBackoff + ".." + restartBackoffMax
                + " weatherDir=" + weatherDir
                + " weatherMaxFilesPerTrigger=" + weatherMaxFilesPerTrigger
                + " pipelines=[" + pipelineParams + "]";
    }

    private static Duration positive(EnvironmentReader reader, String name, Duration fallback) {
        Duration value = reader.duration(name, fallback);
        if (value != null && (value.isNegative() || value.isZero())) {
            reader.problem(name + " must be positive, got " + value);
            return fallback;
        }
        return value;
    }

    private static List<Pipeline> selectedPipelines(String value, EnvironmentReader reader) {
        if (value.isBlank() || value.trim().equalsIgnoreCase(ALL_PIPELINES)) {
            return Pipelines.ALL;
        }
        List<String> names = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        names.stream().filter(n -> Pipelines.byName(n).isEmpty()).forEach(n -> reader.problem(
                "PIPELINES: unknown pipeline '" + n + "'; known: " + Pipelines.ALL.stream().map(Pipeline::name).toList()));
        return Pipelines.ALL.stream().filter(p -> names.contains(p.name())).toList();
    }
}
