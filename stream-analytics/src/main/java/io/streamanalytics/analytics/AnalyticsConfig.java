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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Everything the analytics service can be told, read from the environment in one place, with named defaults
 * and validation. Per-pipeline event-time overrides are {@code <PIPELINE>_WINDOW}, {@code <PIPELINE>_SLIDE} and
 * {@code <PIPELINE>_WATERMARK}, e.g. {@code SCOTSMEN_PER_DISTRICT_WATERMARK=45s}.
 *
 * @param kafka Kafka client properties ({@code KAFKA_BOOTSTRAP_SERVERS} and any {@code KAFKA_*})
 * @param checkpointDir root of the per-pipeline checkpoint directories (any Hadoop file system URI)
 * @param pipelines the pipelines to run, in catalogue order, with their effective event-time parameters
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
        Optional<String> sparkMaster,
        int metricsPort,
        Duration triggerInterval,
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
    /** Results are visible within this plus processing time; the notebooks triggered every 5 seconds. */
    public static final Duration DEFAULT_TRIGGER_INTERVAL = Duration.ofSeconds(5);
    /** Small on purpose: each stateful micro-batch runs this many tasks, and the default 200 idles on few cores. */
    public static final int DEFAULT_SHUFFLE_PARTITIONS = 2;
    public static final String DEFAULT_STARTING_OFFSETS = "earliest";
    public static final String DEFAULT_WEATHER_DIR = "./weather";
    /** The notebook's NUM_FILES_PER_TRIGGER. */
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
        pipelines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
    }

    public static AnalyticsConfig fromEnvironment(Map<String, String> env) {
        EnvironmentReader reader = new EnvironmentReader(env);
        Map<String, String> kafka = KafkaClientProperties.mapFromEnvironment(env);

        Map<Pipeline, EventTimeParams> pipelines = new LinkedHashMap<>();
        for (Pipeline pipeline : selectedPipelines(reader.string("PIPELINES", ALL_PIPELINES), reader)) {
            String prefix = pipeline.name().toUpperCase(Locale.ROOT) + "_";
            EventTimeParams defaults = pipeline.defaults();
            Duration window = reader.duration(prefix + "WINDOW", defaults.window());
            // A tumbling window stays tumbling when only its length is overridden.
            Duration defaultSlide = defaults.slide().equals(defaults.window()) ? window : defaults.slide();
            Duration slide = reader.duration(prefix + "SLIDE", defaultSlide);
            Duration watermark = reader.duration(prefix + "WATERMARK", defaults.watermark());
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
        Duration trigger = reader.duration("TRIGGER_INTERVAL", DEFAULT_TRIGGER_INTERVAL);
        reader.requireValid();
        return new AnalyticsConfig(kafka,
                reader.string("CHECKPOINT_DIR", DEFAULT_CHECKPOINT_DIR),
                pipelines,
                reader.optional("SPARK_MASTER"),
                metricsPort, trigger, shufflePartitions, startingOffsets, maxOffsets,
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
                .map(e -> e.getKey().name() + "(" + e.getValue().fingerprint() + ")")
                .collect(Collectors.joining(", "));
        return "kafka=" + KafkaClientProperties.redacted(props)
                + " checkpointDir=" + checkpointDir
                + " sparkMaster=" + sparkMaster.orElse("<spark-submit's or local[*]>")
                + " metricsPort=" + metricsPort
                + " triggerInterval=" + triggerInterval
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
