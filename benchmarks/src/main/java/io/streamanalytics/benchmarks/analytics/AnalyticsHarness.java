package io.streamanalytics.benchmarks.analytics;

import io.streamanalytics.analytics.AnalyticsConfig;
import io.streamanalytics.analytics.PipelineQueries;
import io.streamanalytics.analytics.SparkSessions;
import io.streamanalytics.analytics.io.DeadLetterSink;
import io.streamanalytics.analytics.io.EventParser;
import io.streamanalytics.analytics.io.KafkaTopics;
import io.streamanalytics.analytics.pipelines.InputColumns;
import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.analytics.pipelines.Pipelines;
import io.streamanalytics.kafka.EmbeddedKafkaBroker;
import io.streamanalytics.schemas.topics.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * One broker and one Spark session in this JVM, and the two things the analytics benchmarks compare on them: the
 * production pipelines ({@link PipelineQueries}, results to Kafka) and the read-and-parse baseline (the same Kafka
 * source and {@link EventParser}, into Spark's no-op sink). The analytics settings (trigger, shuffle partitions,
 * batch limit, and which pipelines: {@code PIPELINES}, default all) come from the same environment variables as the
 * service's; Spark settings such as the state store provider from {@code -Dspark.*} system properties.
 */
final class AnalyticsHarness implements AutoCloseable {

    private static final String BASELINE_PREFIX = "read_and_parse.";

    private final EmbeddedKafkaBroker broker;
    private final SparkSession spark;
    private final Path work;
    private final ProgressLog progress = new ProgressLog();
    private final AnalyticsConfig settings;
    private int runs;

    AnalyticsHarness() throws IOException {
        // Loopback only and no UI: the benchmark needs neither SPARK_LOCAL_IP nor port 4040. -D wins.
        setIfAbsent("spark.driver.bindAddress", "127.0.0.1");
        setIfAbsent("spark.driver.host", "127.0.0.1");
        setIfAbsent("spark.ui.enabled", "false");
        work = Files.createTempDirectory("analytics-benchmark-");
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.ephemeral());
        settings = config(
                System.getenv().getOrDefault("PIPELINES", AnalyticsConfig.ALL_PIPELINES), work.resolve("unused"));
        spark = SparkSessions.create("analytics-benchmark", settings.sparkMaster(), settings.shufflePartitions());
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    ProgressLog progress() {
        return progress;
    }

    Path weatherDir() {
        return work.resolve("weather");
    }

    /** The analytics settings under test. */
    AnalyticsConfig settings() {
        return settings;
    }

    /** The pipelines under test, as {@code PIPELINES} selects them. */
    List<Pipeline> pipelines() {
        return List.copyOf(settings.pipelines().keySet());
    }

    /** The analytics settings under test, for the report. */
    String describeSettings() {
        String triggers = settings.triggers().entrySet().stream()
                .map(e -> e.getKey().name() + " " + e.getValue().toMillis() / 1000.0 + " s")
                .collect(Collectors.joining(", "));
        return "triggers (" + triggers + "), " + settings.batchSchedule().name().toLowerCase(Locale.ROOT)
                + " batches, shuffle partitions "
                + settings.shufflePartitions() + ", maxOffsetsPerTrigger "
                + settings.maxOffsetsPerTrigger()
                + ", state store "
                + spark.conf()
                        .get("spark.sql.streaming.stateStore.providerClass")
                        .replaceAll(".*\\.", "");
    }

    /** A set of queries started together, with the topics each must drain. */
    record Queries(Map<StreamingQuery, Set<String>> topicsByQuery) {

        void stop() {
            topicsByQuery.keySet().forEach(q -> {
                try {
                    q.stop();
                } catch (TimeoutException e) {
                    throw new IllegalStateException("query " + q.name() + " did not stop", e);
                }
            });
        }
    }

    /** Starts the production wiring of the given pipelines, each on a fresh checkpoint. */
    Queries startPipelines(List<Pipeline> pipelines) {
        String names = pipelines.stream().map(Pipeline::name).collect(Collectors.joining(","));
        PipelineQueries app = new PipelineQueries(config(names, freshCheckpoints()), spark, List.of(progress));
        Map<StreamingQuery, Set<String>> topics = new LinkedHashMap<>();
        app.start();
        app.queries()
                .forEach((name, query) -> topics.put(
                        query, topicNames(Pipelines.byName(name).orElseThrow().topics())));
        return new Queries(topics);
    }

    /** Starts one read-and-parse query per topic: the production Kafka source and parse step, nothing else. */
    Queries startBaseline(Set<EventType> topics) {
        AnalyticsConfig config = config(AnalyticsConfig.ALL_PIPELINES, freshCheckpoints());
        PipelineQueries app = new PipelineQueries(config, spark, List.of());
        Map<StreamingQuery, Set<String>> queries = new LinkedHashMap<>();
        for (EventType topic : topics) {
            String checkpoint =
                    Path.of(config.checkpointDir(), topic.topicName()).toString();
            SparkSession session = app.querySession(checkpoint);
            session.streams().addListener(progress);
            try {
                // As often as the most frequent pipeline that reads the topic.
                Duration interval = config.pipelines().keySet().stream()
                        .filter(p -> p.topics().contains(topic))
                        .map(config::trigger)
                        .min(Comparator.naturalOrder())
                        .orElseThrow();
                StreamingQuery query = EventParser.parse(
                                app.kafkaSource(session, topic, interval),
                                InputColumns.of(topic),
                                config.inputLimits(),
                                DeadLetterSink.DISCARD)
                        .events()
                        .writeStream()
                        .queryName(BASELINE_PREFIX + topic.topicName())
                        .format("noop")
                        .option("checkpointLocation", checkpoint)
                        .trigger(app.trigger(interval, true))
                        .start();
                queries.put(query, Set.of(topic.topicName()));
            } catch (TimeoutException e) {
                throw new IllegalStateException("baseline query for " + topic.topicName() + " did not start", e);
            }
        }
        return new Queries(queries);
    }

    /**
     * Waits until every Kafka-fed query has reported progress once, i.e. has run its first trigger (the weather
     * query reports none while its directory is empty).
     */
    void awaitStarted(Queries queries, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<StreamingQuery, Set<String>> e : queries.topicsByQuery().entrySet()) {
            StreamingQuery query = e.getKey();
            while (!e.getValue().isEmpty() && progress.batches(query.id()).isEmpty()) {
                if (!query.isActive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "query " + query.name() + " did not start",
                            query.exception().getOrElse(() -> null));
                }
                Thread.sleep(200);
            }
        }
    }

    /** The broker's end offsets of these topics, {@code topic-partition} → offset. */
    Map<String, Long> endOffsets(Set<String> topics) {
        Map<String, Long> ends = new HashMap<>();
        KafkaTopics.retainedOffsets(Map.of("bootstrap.servers", bootstrapServers()), topics)
                .forEach((partition, range) -> ends.put(partition.toString(), range.latest()));
        return ends;
    }

    /**
     * Waits until every query has processed its topics up to {@code targets}; fails early if a query dies.
     *
     * @return per query, the batch that got there
     */
    Map<StreamingQuery, ProgressLog.Batch> awaitCaughtUp(Queries queries, Map<String, Long> targets, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The weather pipeline reads files, not Kafka: it has nothing to drain.
        Map<StreamingQuery, Set<String>> draining = new LinkedHashMap<>(queries.topicsByQuery());
        draining.values().removeIf(Set::isEmpty);
        Map<StreamingQuery, ProgressLog.Batch> done = new LinkedHashMap<>();
        while (done.size() < draining.size()) {
            for (Map.Entry<StreamingQuery, Set<String>> e : draining.entrySet()) {
                StreamingQuery query = e.getKey();
                if (!query.isActive()) {
                    throw new IllegalStateException(
                            "query " + query.name() + " died", query.exception().getOrElse(() -> null));
                }
                Map<String, Long> expected = new HashMap<>(targets);
                expected.keySet().removeIf(tp -> e.getValue().stream().noneMatch(t -> tp.startsWith(t + "-")));
                progress.batches(query.id()).stream()
                        .filter(b -> b.endOffsets().entrySet().containsAll(expected.entrySet()))
                        .findFirst()
                        .ifPresent(b -> done.putIfAbsent(query, b));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not caught up within " + timeout + ": "
                        + draining.keySet().stream()
                                .filter(q -> !done.containsKey(q))
                                .map(StreamingQuery::name)
                                .toList());
            }
            Thread.sleep(200);
        }
        return done;
    }

    private AnalyticsConfig config(String pipelines, Path checkpoints) {
        Map<String, String> env = new HashMap<>(System.getenv());
        // Against the benchmark's own broker, whatever Kafka the shell points at.
        env.keySet().removeIf(name -> name.startsWith("KAFKA_"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("CHECKPOINT_DIR", checkpoints.toString());
        env.put("WEATHER_DIR", weatherDir().toString());
        env.put("PIPELINES", pipelines);
        env.put("STARTING_OFFSETS", "earliest");
        env.put("METRICS_PORT", "0");
        return AnalyticsConfig.fromEnvironment(env);
    }

    private Path freshCheckpoints() {
        return work.resolve("checkpoints-" + ++runs);
    }

    static Set<String> topicNames(List<EventType> topics) {
        return topics.stream().map(EventType::topicName).collect(Collectors.toSet());
    }

    /** The 1, 5 and 15 minute load averages, quoted beside every figure. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** CPU time this JVM has used so far, all threads. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    @Override
    public void close() {
        spark.stop();
        broker.close();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + work, e);
        }
    }
}
