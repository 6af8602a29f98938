package io.streamanalytics.analytics;

import io.streamanalytics.analytics.pipelines.EventTimeParams;
import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.analytics.pipelines.Pipelines;
import io.streamanalytics.common.Setting;
import io.streamanalytics.common.Settings;
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
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Everything the analytics service can be told, read from the environment: each variable declared once in
 * {@link #SETTINGS}, with its default, bounds and meaning (docs/pipelines.md shows {@link Settings#markdownTable()}
 * of it). Per-pipeline overrides are the families {@code <PIPELINE>_WINDOW}, {@code <PIPELINE>_SLIDE},
 * {@code <PIPELINE>_WATERMARK} and {@code <PIPELINE>_TRIGGER_INTERVAL}, e.g.
 * {@code SCOTSMEN_PER_DISTRICT_WATERMARK=45s}; {@code TRIGGER_INTERVAL} sets the trigger of every pipeline that has
 * no override of its own. Build it with {@link #fromEnvironment(Map)}; it never changes afterwards.
 */
public final class AnalyticsConfig {

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

    private static final Predicate<Duration> POSITIVE = d -> !d.isNegative() && !d.isZero();

    static final Setting<Map<String, String>> KAFKA = Setting.kafkaClient(Map.of())
            .doc("each becomes the client property `<name>` (lower case, `_` → `.`) of source, sink and admin:"
                    + " `KAFKA_BOOTSTRAP_SERVERS` (brokers), SASL/TLS settings; secrets redacted in the log");
    static final Setting<String> CHECKPOINT_DIR = Setting.string("CHECKPOINT_DIR", DEFAULT_CHECKPOINT_DIR)
            .doc("root of the per-pipeline checkpoints; any Hadoop URI (`hdfs://`, `s3a://`) on a cluster");
    static final Setting<String> PIPELINES =
            Setting.string("PIPELINES", ALL_PIPELINES).doc("comma-separated pipeline names");
    static final Setting<String> SPARK_MASTER = Setting.string("SPARK_MASTER", null)
            .doc("unset: what `spark-submit` set, else `local[*]`; never hard-coded");
    static final Setting<Integer> METRICS_PORT = Setting.integer("METRICS_PORT", DEFAULT_METRICS_PORT, 0, 65_535)
            .doc("Prometheus `/metrics` (0 = any free port)");
    static final Setting<Duration> TRIGGER_INTERVAL = Setting.duration("TRIGGER_INTERVAL", null)
            .check(POSITIVE, (name, d) -> name + " must be positive, got " + d)
            .doc("one micro-batch interval for every query; unset: each pipeline's own (see Triggers)");
    static final Setting<BatchSchedule> BATCH_SCHEDULE = Setting.choice(
                    "BATCH_SCHEDULE", BatchSchedule.class, DEFAULT_BATCH_SCHEDULE)
            .doc(
                    "`aligned` (Spark's processing-time trigger) or `staggered` (each query on its own phase; see Triggers)");
    static final Setting<Integer> SHUFFLE_PARTITIONS = Setting.integer(
                    "SHUFFLE_PARTITIONS", DEFAULT_SHUFFLE_PARTITIONS, 1, 10_000)
            .doc("`spark.sql.shuffle.partitions` (tasks per stateful step; fixed per checkpoint by Spark; 2 measured"
                    + " best on 2 cores, see docs/benchmarks.md)");
    static final Setting<String> STARTING_OFFSETS = Setting.string("STARTING_OFFSETS", DEFAULT_STARTING_OFFSETS)
            .check(
                    o -> o.equals("earliest") || o.equals("latest") || o.startsWith("{"),
                    (name, o) -> name + " must be earliest, latest or Spark's per-partition JSON, got " + o)
            .doc("where a query without a checkpoint starts: `earliest`, `latest` or Spark's per-partition JSON");
    static final Setting<Long> MAX_OFFSETS_PER_TRIGGER = Setting.longInteger(
                    "MAX_OFFSETS_PER_TRIGGER", DEFAULT_MAX_OFFSETS_PER_TRIGGER, 1L, Long.MAX_VALUE)
            .doc("cap on records per micro-batch of a query, over all its input partitions");
    static final Setting<Integer> MAX_RECORD_BYTES = Setting.integer(
                    "MAX_RECORD_BYTES", EventValidator.DEFAULT_MAX_RECORD_BYTES, 1, Integer.MAX_VALUE)
            .doc("a larger input record is a dead letter without being parsed");
    static final Setting<Duration> MAX_EVENT_TIME_AHEAD = Setting.duration(
                    "MAX_EVENT_TIME_AHEAD", EventTimeBounds.DEFAULT_MAX_AHEAD)
            .doc("how far ahead of the clock an event time may be; later ones are dead letters");
    static final Setting<Duration> RESTART_BACKOFF = Setting.duration("RESTART_BACKOFF", DEFAULT_RESTART_BACKOFF)
            .doc("wait before restarting a failed pipeline; doubles per failure in a row up to `RESTART_BACKOFF_MAX`");
    static final Setting<Duration> RESTART_BACKOFF_MAX = Setting.duration(
                    "RESTART_BACKOFF_MAX", DEFAULT_RESTART_BACKOFF_MAX)
            .doc("the longest wait between restarts; at least `RESTART_BACKOFF`");
    static final Setting<String> WEATHER_DIR =
            Setting.string("WEATHER_DIR", DEFAULT_WEATHER_DIR).doc("directory of weather CSV files");
    static final Setting<Integer> WEATHER_MAX_FILES_PER_TRIGGER = Setting.integer(
                    "WEATHER_MAX_FILES_PER_TRIGGER", DEFAULT_WEATHER_MAX_FILES_PER_TRIGGER, 1, 1_000_000)
            .doc("new weather files per micro-batch");
    private static final String DURATIONS =
            "; durations as `500ms`, `30s`, `5m`, `1h`, `1d`, `5 minutes` or ISO `PT30S`";
    static final Setting<Duration> WINDOW = Setting.duration("<PIPELINE>_WINDOW", null)
            .defaultShown("see each pipeline")
            .doc("one pipeline's window length (`<PIPELINE>`: its name in upper case), e.g."
                    + " `IMPRESSIONS_PER_MINUTE_WINDOW=30s`; overriding only a tumbling"
                    + " window's length keeps it tumbling" + DURATIONS);
    static final Setting<Duration> SLIDE = Setting.duration("<PIPELINE>_SLIDE", null)
            .defaultShown("see each pipeline")
            .doc("one pipeline's window slide, e.g. `VOTER_STATS_SLIDE=2m`");
    static final Setting<Duration> WATERMARK = Setting.duration("<PIPELINE>_WATERMARK", null)
            .defaultShown("see each pipeline")
            .doc("how long one pipeline waits for late events, e.g. `SCOTSMEN_PER_DISTRICT_WATERMARK=45s`");
    static final Setting<Duration> PIPELINE_TRIGGER_INTERVAL = Setting.duration("<PIPELINE>_TRIGGER_INTERVAL", null)
            .check(POSITIVE, (name, d) -> name + " must be positive, got " + d)
            .defaultShown("`TRIGGER_INTERVAL`, else see each pipeline")
            .doc("one pipeline's micro-batch interval, e.g. `VOTER_STATS_TRIGGER_INTERVAL=1m`");

    /** The analytics service's settings, in the order they are logged and documented. */
    public static final Settings SETTINGS = Settings.of(
            KAFKA,
            CHECKPOINT_DIR,
            PIPELINES,
            SPARK_MASTER,
            METRICS_PORT,
            TRIGGER_INTERVAL,
            BATCH_SCHEDULE,
            SHUFFLE_PARTITIONS,
            STARTING_OFFSETS,
            MAX_OFFSETS_PER_TRIGGER,
            MAX_RECORD_BYTES,
            MAX_EVENT_TIME_AHEAD,
            RESTART_BACKOFF,
            RESTART_BACKOFF_MAX,
            WEATHER_DIR,
            WEATHER_MAX_FILES_PER_TRIGGER,
            WINDOW,
            SLIDE,
            WATERMARK,
            PIPELINE_TRIGGER_INTERVAL);

    private final Settings.Values values;
    private final Map<Pipeline, EventTimeParams> pipelines;
    private final Map<Pipeline, Duration> triggers;

    private AnalyticsConfig(
            Settings.Values values, Map<Pipeline, EventTimeParams> pipelines, Map<Pipeline, Duration> triggers) {
        this.values = values;
        this.pipelines = Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
        this.triggers = Map.copyOf(triggers);
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

    /**
     * Reads and validates the configuration.
     *
     * @throws IllegalArgumentException naming every invalid variable at once
     */
    public static AnalyticsConfig fromEnvironment(Map<String, String> env) {
        Settings.Reader reader = SETTINGS.read(env);
        Map<Pipeline, EventTimeParams> pipelines = new LinkedHashMap<>();
        Map<Pipeline, Duration> triggers = new LinkedHashMap<>();
        // Unset (or invalid, already reported): each pipeline's own default.
        Duration allTriggers = reader.get(TRIGGER_INTERVAL);
        for (Pipeline pipeline : selectedPipelines(reader.get(PIPELINES), reader)) {
            String member = pipeline.name().toUpperCase(Locale.ROOT);
            EventTimeParams defaults = pipeline.defaults();
            Duration window = reader.read(WINDOW.member(member).defaultValue(defaults.window()));
            // A tumbling window stays tumbling when only its length is overridden.
            Duration defaultSlide = defaults.slide().equals(defaults.window()) ? window : defaults.slide();
            Duration slide = reader.read(SLIDE.member(member).defaultValue(defaultSlide));
            Duration watermark = reader.read(WATERMARK.member(member).defaultValue(defaults.watermark()));
            Duration trigger = allTriggers != null ? allTriggers : pipeline.trigger();
            triggers.put(
                    pipeline,
                    reader.read(PIPELINE_TRIGGER_INTERVAL.member(member).defaultValue(trigger)));
            try {
                pipelines.put(pipeline, new EventTimeParams(window, slide, watermark));
            } catch (IllegalArgumentException e) {
                reader.problem(member + "_*: " + e.getMessage());
            }
        }
        Duration restartBackoff = reader.get(RESTART_BACKOFF);
        Duration restartBackoffMax = reader.get(RESTART_BACKOFF_MAX);
        if (restartBackoffMax.compareTo(restartBackoff) < 0) {
            reader.problem("RESTART_BACKOFF_MAX (" + restartBackoffMax + ") must be at least RESTART_BACKOFF ("
                    + restartBackoff + ")");
        }
        return new AnalyticsConfig(reader.requireValid(), pipelines, triggers);
    }

    /** Kafka client properties ({@code KAFKA_BOOTSTRAP_SERVERS} and any {@code KAFKA_*}). */
    public Map<String, String> kafka() {
        return values.get(KAFKA);
    }

    /** Root of the per-pipeline checkpoint directories (any Hadoop file system URI). */
    public String checkpointDir() {
        return values.get(CHECKPOINT_DIR);
    }

    /** The pipelines to run, in catalogue order, with their effective event-time parameters. */
    public Map<Pipeline, EventTimeParams> pipelines() {
        return pipelines;
    }

    /** How often each pipeline's query runs a micro-batch. */
    public Map<Pipeline, Duration> triggers() {
        return triggers;
    }

    public Duration trigger(Pipeline pipeline) {
        return triggers.get(pipeline);
    }

    /** When the micro-batches start. */
    public BatchSchedule batchSchedule() {
        return values.get(BATCH_SCHEDULE);
    }

    /** The master to use; empty means "whatever spark-submit gave, else local[*]". */
    public Optional<String> sparkMaster() {
        return values.optional(SPARK_MASTER);
    }

    public int metricsPort() {
        return values.get(METRICS_PORT);
    }

    public int shufflePartitions() {
        return values.get(SHUFFLE_PARTITIONS);
    }

    public String startingOffsets() {
        return values.get(STARTING_OFFSETS);
    }

    /** The most records a query reads in one micro-batch, over all its partitions. */
    public long maxOffsetsPerTrigger() {
        return values.get(MAX_OFFSETS_PER_TRIGGER);
    }

    public String weatherDir() {
        return values.get(WEATHER_DIR);
    }

    public int weatherMaxFilesPerTrigger() {
        return values.get(WEATHER_MAX_FILES_PER_TRIGGER);
    }

    /** Which input records are accepted at all (size, event-time skew); the rest are dead letters. */
    public EventValidator.Limits inputLimits() {
        return new EventValidator.Limits(
                values.get(MAX_RECORD_BYTES), new EventTimeBounds(values.get(MAX_EVENT_TIME_AHEAD)));
    }

    /** How long a failed pipeline waits before its first restart; doubles per failure in a row. */
    public Duration restartBackoff() {
        return values.get(RESTART_BACKOFF);
    }

    /** The longest wait between restarts. */
    public Duration restartBackoffMax() {
        return values.get(RESTART_BACKOFF_MAX);
    }

    /** A log line of the whole configuration, Kafka secrets redacted; the pipelines with their effective parameters. */
    public String describe() {
        Map<String, Object> shown = new LinkedHashMap<>(SETTINGS.redacted(values));
        shown.put(
                "pipelines",
                pipelines.entrySet().stream()
                        .map(e -> e.getKey().name() + "(" + e.getValue().fingerprint() + ",trigger="
                                + trigger(e.getKey()) + ")")
                        .collect(Collectors.joining(", ", "[", "]")));
        return shown.toString();
    }

    @Override
    public String toString() {
        return "AnalyticsConfig" + describe();
    }

    private static List<Pipeline> selectedPipelines(String value, Settings.Reader reader) {
        if (value.isBlank() || value.trim().equalsIgnoreCase(ALL_PIPELINES)) {
            return Pipelines.ALL;
        }
        List<String> names = Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        names.stream()
                .filter(n -> Pipelines.byName(n).isEmpty())
                .forEach(n -> reader.problem("PIPELINES: unknown pipeline '" + n + "'; known: "
                        + Pipelines.ALL.stream().map(Pipeline::name).toList()));
        return Pipelines.ALL.stream().filter(p -> names.contains(p.name())).toList();
    }
}
