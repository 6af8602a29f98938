package io.streamanalytics.analytics;

import static org.apache.spark.sql.functions.col;

import io.streamanalytics.analytics.io.DeadLetterSink;
import io.streamanalytics.analytics.io.EventParser;
import io.streamanalytics.analytics.io.KafkaDeadLetterSink;
import io.streamanalytics.analytics.io.KafkaOptions;
import io.streamanalytics.analytics.io.KafkaRecords;
import io.streamanalytics.analytics.io.KafkaTopics;
import io.streamanalytics.analytics.io.ParsedInput;
import io.streamanalytics.analytics.io.PopulationTable;
import io.streamanalytics.analytics.pipelines.EventTimeParams;
import io.streamanalytics.analytics.pipelines.InputColumns;
import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.analytics.pipelines.PipelineInputs;
import io.streamanalytics.analytics.pipelines.Pipelines;
import io.streamanalytics.common.KafkaTopicAdmin;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the pipelines to Kafka: one streaming query per pipeline, named after it, with its own checkpoint,
 * writing its results through Spark's Kafka sink; the dead letters of its inputs leave from the parse step.
 */
public final class PipelineQueries {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineQueries.class);

    /** The observation (in each batch's progress) that counts a topic's dead letters. */
    public static final String DEAD_LETTER_OBSERVATION_PREFIX = "dead_letters.";

    public static final String DEAD_LETTER_COUNT = "count";

    /** The most a staggered query's batch can start late; a poll of the sources' offsets per tick is cheap. */
    static final Duration STAGGER_TICK_MAX = Duration.ofSeconds(1);

    static final int STAGGER_TICKS_PER_INTERVAL = 5;

    static final StructType WEATHER_CSV = new StructType()
            .add("timestamp", DataTypes.StringType)
            .add("min_temperature", DataTypes.DoubleType)
            .add("max_temperature", DataTypes.DoubleType)
            .add("precipitation", DataTypes.DoubleType);

    private final AnalyticsConfig config;
    private final SparkSession spark;
    private final List<StreamingQueryListener> listeners;
    /** The current query of each pipeline. */
    private final Map<String, StreamingQuery> queries = new LinkedHashMap<>();
    /** Every query started and not yet handed out by {@link #pollTermination}, by id. */
    private final Map<UUID, StreamingQuery> started = new ConcurrentHashMap<>();

    private final BlockingQueue<UUID> terminated = new LinkedBlockingQueue<>();
    /** Read without the lock, so that a stop never waits for a start that waits for Kafka. */
    private volatile boolean stopped;

    /**
     * @param listeners attached to every pipeline's query (each runs in its own session, and listeners are
     *     per session)
     */
    public PipelineQueries(AnalyticsConfig config, SparkSession spark, List<StreamingQueryListener> listeners) {
        this.config = config;
        this.spark = spark;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Creates missing topics and starts every configured pipeline, unless {@link #stop()} comes first: a stop
     * during the start (which waits for Kafka) is never held up by it, and no query starts after it.
     */
    public List<StreamingQuery> start() {
        // Input topics too: a source subscribing while a producer's first send creates the topic can fail.
        List<NewTopic> topics = new ArrayList<>(List.of(KafkaTopicAdmin.plainTopic(Topics.DEAD_LETTERS)));
        config.pipelines().keySet().forEach(p -> topics.add(KafkaTopicAdmin.resultTopic(Topics.results(p.name()))));
        config.pipelines().keySet().stream()
                .flatMap(p -> p.topics().stream())
                .map(EventType::topicName)
                .distinct()
                .forEach(name -> topics.add(KafkaTopicAdmin.inputTopic(name, Optional.empty(), Optional.empty())));
        LOG.info("Checking the topics on Kafka at {}", config.kafka().get("bootstrap.servers"));
        KafkaTopicAdmin.ensureExist(config.kafka(), topics);
        for (Pipeline pipeline : config.pipelines().keySet()) {
            synchronized (this) {
                if (stopped) {
                    break;
                }
                startPipeline(pipeline);
            }
        }
        return List.copyOf(queries().values());
    }

    /**
     * Starts a pipeline's query again from its checkpoint, after it failed; the other pipelines are untouched.
     *
     * @throws Checkpoints.IncompatibleCheckpointException if the checkpoint no longer matches the pipeline or its
     *     input: restarting cannot help
     */
    public synchronized StreamingQuery restart(String pipelineName) {
        if (stopped) {
            throw new IllegalStateException("the analytics are stopping; pipeline " + pipelineName + " stays down");
        }
        return startPipeline(Pipelines.byName(pipelineName).orElseThrow());
    }

    private StreamingQuery startPipeline(Pipeline pipeline) {
        EventTimeParams params = config.pipelines().get(pipeline);
        Set<EventType> owned = deadLetterOwners(config.pipelines().keySet()).entrySet().stream()
                .filter(e -> e.getValue().equals(pipeline))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        StreamingQuery query = start(pipeline, params, owned);
        queries.put(pipeline.name(), query);
        started.put(query.id(), query);
        LOG.info(
                "Started pipeline {} (query id {}) with {}, checkpoint {}",
                pipeline.name(),
                query.id(),
                params.fingerprint(),
                checkpointOf(pipeline));
        return query;
    }

    /**
     * Each input topic's dead letters are written by one query only (the first selected pipeline that reads it),
     * so a bad record read by three pipelines is reported once.
     */
    static Map<EventType, Pipeline> deadLetterOwners(Iterable<Pipeline> pipelines) {
        Map<EventType, Pipeline> owners = new LinkedHashMap<>();
        pipelines.forEach(p -> p.topics().forEach(t -> owners.putIfAbsent(t, p)));
        return owners;
    }

    String checkpointOf(Pipeline pipeline) {
        return Checkpoints.directory(config.checkpointDir(), pipeline);
    }

    String checkpointOf(String pipelineName) {
        return Pipelines.byName(pipelineName).map(this::checkpointOf).orElse(config.checkpointDir());
    }

    private StreamingQuery start(Pipeline pipeline, EventTimeParams params, Set<EventType> deadLetterTopics) {
        String checkpoint = checkpointOf(pipeline);
        // Its own session, so per-pipeline settings (the join's watermark policy) stay with its query.
        SparkSession session = querySession(checkpoint);
        pipeline.sessionConf().forEach(session.conf()::set);
        listeners.forEach(session.streams()::addListener);
        session.streams().addListener(new TerminationWatch());
        Checkpoints.verifyDefinition(session.sparkContext().hadoopConfiguration(), checkpoint, pipeline, params);
        Checkpoints.verifyKafkaOffsets(
                session.sparkContext().hadoopConfiguration(),
                checkpoint,
                pipeline.name(),
                config.startingOffsets(),
                topics -> KafkaTopics.retainedOffsets(config.kafka(), topics));

        Map<EventType, Dataset<Row>> events = new LinkedHashMap<>();
        for (EventType topic : pipeline.topics()) {
            boolean reportsDeadLetters = deadLetterTopics.contains(topic);
            ParsedInput parsed = EventParser.parse(
                    kafkaSource(session, topic, config.trigger(pipeline)),
                    InputColumns.of(topic),
                    config.inputLimits(),
                    reportsDeadLetters ? new KafkaDeadLetterSink(config.kafka()) : DeadLetterSink.DISCARD);
            events.put(
                    topic,
                    reportsDeadLetters
                            ? parsed.eventsCountingRejected(
                                    DEAD_LETTER_OBSERVATION_PREFIX + topic.topicName(), DEAD_LETTER_COUNT)
                            : parsed.events());
        }
        PipelineInputs inputs = new PipelineInputs() {
            @Override
            public Dataset<Row> events(EventType topic) {
                return events.get(topic);
            }

            @Override
            public Dataset<Row> population() {
                return PopulationTable.load(session);
            }

            @Override
            public Dataset<Row> weatherReadings() {
                return weatherSource(session);
            }
        };

        Dataset<Row> records =
                KafkaRecords.results(pipeline.result(), pipeline.query().build(inputs, params));
        try {
            return records.writeStream()
                    .queryName(pipeline.name())
                    .format("kafka")
                    .options(KafkaOptions.forSink(config.kafka(), pipeline.name()))
                    .outputMode(pipeline.outputMode())
                    .option("checkpointLocation", checkpoint)
                    .trigger(trigger(config.trigger(pipeline), !pipeline.readsWeatherFiles()))
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException("pipeline " + pipeline.name() + " did not start", e);
        }
    }

    /**
     * A new session for one query checkpointed in {@code checkpoint}, with the checkpoint file manager that suits
     * its file system. Public for the benchmarks, whose baseline queries must checkpoint as the pipelines do.
     */
    public SparkSession querySession(String checkpoint) {
        SparkSession session = spark.newSession();
        Checkpoints.fileManagerSettings(
                        session.sparkContext().hadoopConfiguration(), checkpoint, session.conf()::contains)
                .forEach(session.conf()::set);
        return session;
    }

    /**
     * The trigger of a query that runs a micro-batch every {@code interval}, on the configured schedule; only Kafka
     * sources can hold a batch back, so a query without one is always aligned. Public for the benchmarks.
     */
    public Trigger trigger(Duration interval, boolean readsKafka) {
        if (config.batchSchedule() == AnalyticsConfig.BatchSchedule.STAGGERED && readsKafka) {
            return Trigger.ProcessingTime(staggerTick(interval).toMillis(), TimeUnit.MILLISECONDS);
        }
        return Trigger.ProcessingTime(interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A staggered query's batch starts at most one tick after its interval is up. */
    static Duration staggerTick(Duration interval) {
        Duration fifth = interval.dividedBy(STAGGER_TICKS_PER_INTERVAL);
        return fifth.compareTo(STAGGER_TICK_MAX) < 0 ? fifth : STAGGER_TICK_MAX;
    }

    /**
     * How long a staggered query's source holds a batch back after the last one: half a tick short of the
     * interval, because the source measures from the moment it let the last batch go, a little after that tick,
     * and a full interval would miss the tick that is due and wait for the next.
     */
    static Duration staggerDelay(Duration interval) {
        return interval.minus(staggerTick(interval).dividedBy(2));
    }

    /**
     * The raw Kafka records of one input topic, as every pipeline reads them, for a query that runs a micro-batch
     * every {@code interval}. Public for the benchmarks, whose read-and-parse baseline must read exactly as the
     * pipelines do.
     */
    public Dataset<Row> kafkaSource(SparkSession session, EventType topic, Duration interval) {
        DataStreamReader reader = session.readStream()
                .format("kafka")
                .options(KafkaOptions.forSpark(config.kafka()))
                .option("subscribe", topic.topicName())
                .option("startingOffsets", config.startingOffsets())
                // Lost input must stop the query (with an explanation, see Failures), never pass silently.
                .option("failOnDataLoss", "true")
                .option("maxOffsetsPerTrigger", config.maxOffsetsPerTrigger());
        if (config.batchSchedule() == AnalyticsConfig.BatchSchedule.STAGGERED) {
            // A full batch (a backlog) goes at once; anything less waits for this query's own interval.
            reader.option("minOffsetsPerTrigger", config.maxOffsetsPerTrigger())
                    .option("maxTriggerDelay", staggerDelay(interval).toMillis() + "ms");
        }
        return reader.load();
    }

    /**
     * Readings from CSV files in {@code WEATHER_DIR}; Spark skips names starting with {@code .} or {@code _}, so
     * writers use such a temporary name and rename the file when it is complete. Lines whose timestamp does not
     * parse are skipped (files are not Kafka records, so they have no dead-letter coordinates).
     */
    private Dataset<Row> weatherSource(SparkSession session) {
        try {
            Path dir = new Path(config.weatherDir());
            dir.getFileSystem(session.sparkContext().hadoopConfiguration()).mkdirs(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create WEATHER_DIR " + config.weatherDir(), e);
        }
        return session.readStream()
                .format("csv")
                .option("header", "true")
                .option("maxFilesPerTrigger", config.weatherMaxFilesPerTrigger())
                .schema(WEATHER_CSV)
                .load(config.weatherDir())
                .select(
                        col("timestamp").cast(DataTypes.TimestampType).as("timestamp"),
                        col("min_temperature"),
                        col("max_temperature"),
                        col("precipitation"))
                .where(col("timestamp").isNotNull());
    }

    /** Waits up to {@code timeout} for some pipeline's query to end (failed, or stopped), and returns it. */
    public Optional<StreamingQuery> pollTermination(Duration timeout) throws InterruptedException {
        UUID id = terminated.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (id == null) {
            return Optional.empty();
        }
        // A query can end before the start that made it has recorded it; that start holds this lock.
        synchronized (this) {
            return Optional.ofNullable(started.remove(id));
        }
    }

    public synchronized Map<String, StreamingQuery> queries() {
        return Map.copyOf(queries);
    }

    /**
     * Stops every query; each stops after its current micro-batch's tasks are interrupted, state intact. Waits at
     * most for the one query being started, if any.
     */
    public void stop() {
        stopped = true;
        synchronized (this) {
            queries.forEach((name, query) -> {
                try {
                    query.stop();
                    LOG.info("Stopped pipeline {}", name);
                } catch (TimeoutException | RuntimeException e) {
                    LOG.warn("Pipeline {} did not stop cleanly: {}", name, e.toString());
                }
            });
        }
    }

    private final class TerminationWatch extends StreamingQueryListener {
        @Override
        public void onQueryStarted(QueryStartedEvent event) {}

        @Override
        public void onQueryProgress(QueryProgressEvent event) {}

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
            terminated.add(event.id());
        }
    }
}
