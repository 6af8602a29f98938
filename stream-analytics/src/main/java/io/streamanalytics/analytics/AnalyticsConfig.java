package io.streamanalytics.analytics;

import io.streamanalytics.analytics.pipelines.EventTimeParams;
import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.analytics.pipelines.Pipelines;
import io.streamanalytics.common.KafkaClientProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        OptionalLong maxOffsetsPerTrigger,
        String weatherDir,
        int weatherMaxFilesPerTrigger) {

    public static final String DEFAULT_CHECKPOINT_DIR = "./checkpoints";
    public static final String ALL_PIPELINES = "all";
    public static final int DEFAULT_METRICS_PORT = 9402;
    /** Results are visible within this plus processing time; the notebooks triggered every 5 seconds. */
    public static final Duration DEFAULT_TRIGGER_INTERVAL = Duration.ofSeconds(5);
    /** Small on purpose: each stateful micro-batch runs this many tasks, and the default 200 idles on few cores. */
    public static final int DEFAULT_SHUFFLE_PARTITIONS = 4;
    public static final String DEFAULT_STARTING_OFFSETS = "earliest";
    public static final String DEFAULT_WEATHER_DIR = "./weather";
    /** The notebook's NUM_FILES_PER_TRIGGER. */
    public static final int DEFAULT_WEATHER_MAX_FILES_PER_TRIGGER = 3;

    private static final Pattern DURATION = Pattern.compile(
            "(\\d+)\\s*(ms|milliseconds?|s|seconds?|m|min|minutes?|h|hours?|d|days?)", Pattern.CASE_INSENSITIVE);

    public AnalyticsConfig {
        kafka = Map.copyOf(kafka);
        pipelines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
    }

    public static AnalyticsConfig fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Map<String, String> kafka = KafkaClientProperties.mapFromEnvironment(env);

        Map<Pipeline, EventTimeParams> pipelines = new LinkedHashMap<>();
        for (Pipeline pipeline : selectedPipelines(env.getOrDefault("PIPELINES", ALL_PIPELINES), problems)) {
            String prefix = pipeline.name().toUpperCase(Locale.ROOT) + "_";
            EventTimeParams defaults = pipeline.defaults();
            Duration window = duration(env, prefix + "WINDOW", defaults.window(), problems);
            // A tumbling window stays tumbling when only its length is overridden.
            Duration defaultSlide = defaults.slide().equals(defaults.window()) ? window : defaults.slide();
            Duration slide = duration(env, prefix + "SLIDE", defaultSlide, problems);
            Duration watermark = duration(env, prefix + "WATERMARK", defaults.watermark(), problems);
            try {
                pipelines.put(pipeline, new EventTimeParams(window, slide, watermark));
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "*: " + e.getMessage());
            }
        }

        String startingOffsets = env.getOrDefault("STARTING_OFFSETS", DEFAULT_STARTING_OFFSETS).trim();
        if (!startingOffsets.equals("earliest") && !startingOffsets.equals("latest") && !startingOffsets.startsWith("{")) {
            problems.add("STARTING_OFFSETS must be earliest, latest or Spark's per-partition JSON, got " + startingOffsets);
        }
        OptionalLong maxOffsets = Optional.ofNullable(blankToNull(env.get("MAX_OFFSETS_PER_TRIGGER")))
                .map(v -> OptionalLong.of(positive("MAX_OFFSETS_PER_TRIGGER", v, problems)))
                .orElse(OptionalLong.empty());
        int metricsPort = (int) integer(env, "METRICS_PORT", DEFAULT_METRICS_PORT, 0, 65_535, problems);
        int shufflePartitions = (int) integer(env, "SHUFFLE_PARTITIONS", DEFAULT_SHUFFLE_PARTITIONS, 1, 10_000, problems);
        int maxFiles = (int) integer(env, "WEATHER_MAX_FILES_PER_TRIGGER", DEFAULT_WEATHER_MAX_FILES_PER_TRIGGER, 1,
                1_000_000, problems);
        Duration trigger = duration(env, "TRIGGER_INTERVAL", DEFAULT_TRIGGER_INTERVAL, problems);

        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return new AnalyticsConfig(kafka,
                env.getOrDefault("CHECKPOINT_DIR", DEFAULT_CHECKPOINT_DIR),
                pipelines,
                Optional.ofNullable(blankToNull(env.get("SPARK_MASTER"))),
                metricsPort, trigger, shufflePartitions, startingOffsets, maxOffsets,
                env.getOrDefault("WEATHER_DIR", DEFAULT_WEATHER_DIR),
                maxFiles);
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
                + " maxOffsetsPerTrigger=" + (maxOffsetsPerTrigger.isPresent() ? maxOffsetsPerTrigger.getAsLong() : "unlimited")
                + " weatherDir=" + weatherDir
                + " weatherMaxFilesPerTrigger=" + weatherMaxFilesPerTrigger
                + " pipelines=[" + pipelineParams + "]";
    }

    /** Parses {@code 30s}, {@code 5 minutes}, {@code 1h}, {@code 500ms} or ISO-8601 {@code PT30S}. */
    static Duration parseDuration(String text) {
        String trimmed = text.trim();
        if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(trimmed);
        }
        Matcher m = DURATION.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration such as 30s, 5m, 1h or PT30S: '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        if (unit.startsWith("ms") || unit.startsWith("milli")) {
            return Duration.ofMillis(amount);
        }
        return switch (unit.charAt(0)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static List<Pipeline> selectedPipelines(String value, List<String> problems) {
        if (value.isBlank() || value.trim().equalsIgnoreCase(ALL_PIPELINES)) {
            return Pipelines.ALL;
        }
        List<String> names = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        names.stream().filter(n -> Pipelines.byName(n).isEmpty()).forEach(n -> problems.add(
                "PIPELINES: unknown pipeline '" + n + "'; known: " + Pipelines.ALL.stream().map(Pipeline::name).toList()));
        return Pipelines.ALL.stream().filter(p -> names.contains(p.name())).toList();
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback, List<String> problems) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            return parseDuration(value);
        } catch (RuntimeException e) {
            problems.add(name + ": " + e.getMessage());
            return fallback;
        }
    }

    private static long integer(Map<String, String> env, String name, long fallback, long min, long max,
            List<String> problems) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + parsed);
                return fallback;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be an integer, got '" + value + "'");
            return fallback;
        }
    }

    private static long positive(String name, String value, List<String> problems) {
        return integer(Map.of(name, value), name, 1, 1, Long.MAX_VALUE, problems);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
