package io.streamanalytics.consumer.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Timer;
import io.streamanalytics.consumer.metrics.ConsumerMetrics;
import io.streamanalytics.consumer.store.ResultRecord;
import io.streamanalytics.consumer.store.ResultStore;
import io.streamanalytics.consumer.store.SourcePosition;
import io.streamanalytics.consumer.store.StoreException;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.DeadLetter;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop: reads every {@code results.*} topic and {@code dead-letters} (one pattern subscription, so a new
 * pipeline needs no code change), and per poll applies the results and the offsets after them in one database
 * transaction. Offsets live only in the database: on assignment each partition seeks to its stored offset, so a
 * crash anywhere replays exactly the records whose transaction did not commit.
 *
 * <p>Nothing a record holds can stop it: records are validated before the transaction ({@link ResultParser}); a
 * transient database error (unreachable, restarting) reads the uncommitted rest of the poll again after a growing
 * pause; any other database error splits the batch until the record the database refuses is alone, and that
 * record becomes a problem whose offset is stored with the others. Each part commits its rows with its offsets,
 * so splitting loses nothing and applies nothing twice.
 *
 * <p>Runs on its own thread ({@link #run()}); the Kafka consumer is touched by that thread only.
 */
public final class Materialiser implements IngestStatus, Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Materialiser.class);

    public static final Pattern TOPICS =
            Pattern.compile(Pattern.quote(Topics.RESULTS_PREFIX) + ".+|" + Pattern.quote(Topics.DEAD_LETTERS));
    static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    /** The first pause after a transient database error; it doubles with each further one, up to the maximum. */
    static final Duration RETRY_BACKOFF = Duration.ofMillis(500);

    static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(5);
    /** How often the loop asks Kafka for end offsets: its proof that Kafka answers, and the catch-up target. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    static final int SAMPLE_SIZE = 50;
    /** How long a stop waits for the loop to finish the transaction in progress and close the consumer. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private enum Kind {
        RESULT,
        MALFORMED,
        DEAD_LETTER
    }

    /** One polled record and what it is: a valid result to store, or a problem to keep and skip. */
    private record Entry(TopicPartition partition, long offset, Kind kind, ResultRecord result, DeadLetter problem) {

        static Entry result(TopicPartition partition, long offset, ResultRecord result) {
            return new Entry(partition, offset, Kind.RESULT, result, null);
        }

        static Entry problem(TopicPartition partition, long offset, Kind kind, DeadLetter problem) {
            return new Entry(partition, offset, kind, null, problem);
        }

        /** The result the database refused, set aside as a malformed result. */
        Entry refused(StoreException e, Instant now) {
            return problem(
                    partition,
                    offset,
                    Kind.MALFORMED,
                    DeadLetter.of(
                            partition.topic(),
                            partition.partition(),
                            offset,
                            result.payload().getBytes(StandardCharsets.UTF_8),
                            "the database refused it: " + e.reason(),
                            now));
        }
    }

    private final Consumer<String, byte[]> consumer;
    private final ResultStore store;
    private final ResultParser parser;
    private final ConsumerMetrics metrics;
    private final java.util.function.Consumer<List<ResultRecord>> onApplied;
    private final Duration startTimeout;
    private final Readiness readiness;
    private final ProblemSample deadLetters = new ProblemSample(SAMPLE_SIZE);
    private final ProblemSample malformed = new ProblemSample(SAMPLE_SIZE);

    private final CountDownLatch assigned = new CountDownLatch(1);
    private final PollLoop loop;
    /** End offsets to reach before being ready; null until the next probe after an outage sets them. */
    private Map<TopicPartition, Long> catchUpTargets;

    private Instant nextProbe = Instant.MIN;
    private int consecutiveFailures;
    private volatile Throwable failure;

    public Materialiser(
            Consumer<String, byte[]> consumer,
            ResultStore store,
            ResultParser parser,
            ConsumerMetrics metrics,
            Duration startTimeout,
            Readiness readiness,
            java.util.function.Consumer<List<ResultRecord>> onApplied) {
        this.consumer = consumer;
        this.store = store;
        this.parser = parser;
        this.metrics = metrics;
        this.startTimeout = startTimeout;
        this.readiness = readiness;
        this.onApplied = onApplied;
        this.loop = new PollLoop(consumer, "materialiser", STOP_TIMEOUT);
        metrics.readiness(this::isReady);
    }

    @Override
    public void run() {
        try {
            catchUpTargets = endOffsetsNow();
            log.info("Catching up with {} partitions of results and dead-letter topics", catchUpTargets.size());
            consumer.subscribe(TOPICS, new SeekToStoredOffsets());
            while (loop.running()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    process(records);
                }
                probeKafka();
                updateLagAndCatchUp();
            }
        } catch (WakeupException e) {
            if (loop.running()) {
                failure = e;
            }
        } catch (Throwable e) {
            log.error("The materialiser stopped on an unexpected error", e);
            failure = e;
        } finally {
            loop.end();
        }
    }

    /** True while the loop runs, reaches Kafka and the database, and has caught up (see {@link Readiness}). */
    public boolean isReady() {
        return isAlive() && readiness.state().ready();
    }

    @Override
    public Readiness.State readiness() {
        return isAlive()
                ? readiness.state()
                : new Readiness.State(Readiness.Status.STOPPED, "the poll loop has stopped: " + failure);
    }

    @Override
    public boolean isAlive() {
        return !loop.hasEnded();
    }

    @Override
    public ProblemSample deadLetters() {
        return deadLetters;
    }

    @Override
    public ProblemSample malformedResults() {
        return malformed;
    }

    /**
     * Waits until the consumer has its first partition assignment (it reached Kafka, read its offsets from the
     * database and is consuming).
     *
     * @throws IllegalStateException if that did not happen within the timeout or the loop failed first
     */
    public void awaitAssignment(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!assigned.await(100, TimeUnit.MILLISECONDS)) {
            if (!isAlive()) {
                throw new IllegalStateException("the materialiser stopped before its first assignment", failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no partition assignment from Kafka within " + timeout);
            }
        }
    }

    /** Blocks until the loop has ended; returns its failure, or null after a requested stop. */
    public Throwable awaitTermination() throws InterruptedException {
        loop.awaitEnd();
        return failure;
    }

    @Override
    public void close() {
        loop.stop();
    }

    private Map<TopicPartition, Long> endOffsetsNow() {
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(startTimeout);
        Set<TopicPartition> partitions = topics.entrySet().stream()
                .filter(t -> TOPICS.matcher(t.getKey()).matches())
                .flatMap(t -> t.getValue().stream())
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .collect(Collectors.toSet());
        return Map.copyOf(consumer.endOffsets(partitions, startTimeout));
    }

    private void process(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<Entry> entries = new ArrayList<>(records.count());
        Instant now = Instant.now();
        for (ConsumerRecord<String, byte[]> record : records) {
            entries.add(entry(record, now));
        }
        int stored = storeInOrder(entries);
        if (stored == entries.size()) {
            consecutiveFailures = 0;
            return;
        }
        // The database is away: read the uncommitted rest again once it may be back.
        Map<TopicPartition, Long> firstUnstored = new HashMap<>();
        entries.subList(stored, entries.size()).forEach(e -> firstUnstored.putIfAbsent(e.partition(), e.offset()));
        firstUnstored.forEach(consumer::seek);
        consecutiveFailures++;
        long pause = Math.min(
                MAX_RETRY_BACKOFF.toMillis(), RETRY_BACKOFF.toMillis() << Math.min(consecutiveFailures - 1, 10));
        log.warn("Could not store {} records; reading them again in {} ms", entries.size() - stored, pause);
        loop.pause(Duration.ofMillis(pause));
    }

    private Entry entry(ConsumerRecord<String, byte[]> record, Instant now) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (record.topic().equals(Topics.DEAD_LETTERS)) {
            return Entry.problem(partition, record.offset(), Kind.DEAD_LETTER, deadLetter(record, now));
        }
        try {
            SourcePosition source = new SourcePosition(record.topic(), record.partition(), record.offset());
            return Entry.result(partition, record.offset(), parser.parse(source, record.key(), record.value()));
        } catch (MalformedResultException e) {
            return Entry.problem(
                    partition,
                    record.offset(),
                    Kind.MALFORMED,
                    DeadLetter.of(
                            record.topic(), record.partition(), record.offset(), record.value(), e.getMessage(), now));
        }
    }

    /**
     * Commits the entries in order, splitting on a database error that is not transient until the refused record
     * is alone. Returns how many entries (from the start) are committed; fewer than all after a transient error.
     */
    private int storeInOrder(List<Entry> entries) {
        try {
            commit(entries);
            return entries.size();
        } catch (StoreException e) {
            readiness.storeFailed(e.reason());
            if (e.isTransient()) {
                log.warn("Transient database error: {}", e.reason());
                return 0;
            }
            if (entries.size() == 1) {
                return retryAlone(entries.get(0));
            }
            int half = entries.size() / 2;
            int first = storeInOrder(entries.subList(0, half));
            return first < half ? first : half + storeInOrder(entries.subList(half, entries.size()));
        }
    }

    /**
     * A record whose batch failed is tried once more on its own before it is set aside: the first failure may
     * have been the connection dying under it as the database went away and came back.
     */
    private int retryAlone(Entry entry) {
        try {
            commit(List.of(entry));
            return 1;
        } catch (StoreException e) {
            readiness.storeFailed(e.reason());
            return e.isTransient() ? 0 : setAside(entry, e);
        }
    }

    /**
     * Stores the offset of a record the database refused (twice), without it. If even that fails the database itself is
     * at fault, not the record, and it is kept for the next attempt.
     */
    private int setAside(Entry entry, StoreException refusal) {
        if (entry.kind() != Kind.RESULT) {
            return 0;
        }
        Entry problem = entry.refused(refusal, Instant.now());
        try {
            commit(List.of(problem));
        } catch (StoreException e) {
            readiness.storeFailed(e.reason());
            return 0;
        }
        log.warn(
                "The database refused the result at {}@{}; set aside: {}",
                entry.partition(),
                entry.offset(),
                refusal.reason());
        return 1;
    }

    /** One transaction: the entries' results and the offsets after them; then, only once committed, the counting. */
    private void commit(List<Entry> entries) {
        List<ResultRecord> results = new ArrayList<>(entries.size());
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        for (Entry entry : entries) {
            nextOffsets.put(entry.partition(), entry.offset() + 1);
            if (entry.kind() == Kind.RESULT) {
                results.add(entry.result());
            }
        }
        readiness.storing();
        Timer.Sample timing = Timer.start();
        store.apply(results, nextOffsets);
        timing.stop(metrics.upsertTimer());
        if (readiness.stored()) {
            catchUpTargets = null;
        }
        for (Entry entry : entries) {
            switch (entry.kind()) {
                case DEAD_LETTER -> {
                    deadLetters.add(entry.problem());
                    metrics.deadLetter(entry.problem().sourceTopic());
                }
                case MALFORMED -> {
                    DeadLetter p = entry.problem();
                    malformed.add(p);
                    metrics.malformed(p.sourceTopic());
                    log.warn(
                            "Skipped a malformed result at {}-{}@{}: {}",
                            p.sourceTopic(),
                            p.partition(),
                            p.offset(),
                            p.error());
                }
                case RESULT -> {
                    // counted below, all at once
                }
            }
        }
        Instant now = Instant.now();
        for (ResultRecord r : results) {
            metrics.materialised(r.pipeline(), r.windowStart(), r.groups(), r.metrics(), r.emittedAt(), now);
        }
        if (!results.isEmpty()) {
            onApplied.accept(results);
        }
    }

    /**
     * Read field by field rather than bound to {@link DeadLetter}: a dead letter of any shape (an older envelope, a
     * hand-written one) is still counted, with what it says.
     */
    private static DeadLetter deadLetter(ConsumerRecord<String, byte[]> record, Instant now) {
        byte[] value = record.value();
        try {
            JsonNode letter = value == null ? null : Json.MAPPER.readTree(value);
            if (letter instanceof ObjectNode) {
                String raw = letter.path("raw").isTextual() ? letter.get("raw").asText() : null;
                return new DeadLetter(
                        letter.path("source_topic").asText("unknown"),
                        letter.path("partition").asInt(-1),
                        letter.path("offset").asLong(-1),
                        raw,
                        letter.path("raw_bytes").asLong(raw == null ? 0 : raw.length()),
                        letter.path("raw_truncated").asBoolean(false),
                        letter.path("raw_encoding").asText(DeadLetter.UTF_8),
                        letter.path("error").asText(null),
                        now);
            }
        } catch (IOException e) {
            // answered below
        }
        // Still a dead letter: counted, with the unreadable envelope as its raw value.
        return DeadLetter.of("unknown", record.partition(), record.offset(), value, "unreadable dead letter", now);
    }

    /** Asks Kafka for the end offsets of the assignment, at most once per {@link #PROBE_INTERVAL}. */
    private void probeKafka() {
        Instant now = Instant.now();
        if (now.isBefore(nextProbe)) {
            return;
        }
        nextProbe = now.plus(PROBE_INTERVAL);
        Set<TopicPartition> assignment = consumer.assignment();
        Map<TopicPartition, Long> ends;
        try {
            // endOffsets of nothing asks nobody; listing the topics does ask.
            ends = assignment.isEmpty() ? endOffsetsOfNothing() : consumer.endOffsets(assignment, PROBE_INTERVAL);
        } catch (KafkaException e) {
            readiness.kafkaSilent(e.getMessage());
            return;
        }
        if (readiness.kafkaAnswered()) {
            catchUpTargets = null;
        }
        if (catchUpTargets == null) {
            catchUpTargets = Map.copyOf(ends);
            log.info("Catching up with {} partitions after an outage", ends.size());
        }
    }

    private Map<TopicPartition, Long> endOffsetsOfNothing() {
        consumer.listTopics(PROBE_INTERVAL);
        return Map.of();
    }

    private void updateLagAndCatchUp() {
        Set<TopicPartition> assignment = consumer.assignment();
        for (TopicPartition partition : assignment) {
            consumer.currentLag(partition).ifPresent(lag -> metrics.lag(partition, lag));
        }
        Map<TopicPartition, Long> targets = catchUpTargets;
        if (!readiness.isCaughtUp() && targets != null && assigned.getCount() == 0) {
            boolean caughtUp = targets.entrySet().stream()
                    .filter(target -> assignment.contains(target.getKey()))
                    .allMatch(target -> positionOrZero(target.getKey()) >= target.getValue());
            if (caughtUp) {
                readiness.caughtUp();
                log.info("Caught up with the results topics; ready");
            }
        }
    }

    /** A position still being looked up (the broker is slow to answer) just means "not there yet". */
    private long positionOrZero(TopicPartition partition) {
        try {
            return consumer.position(partition, POLL_TIMEOUT);
        } catch (TimeoutException e) {
            return 0;
        }
    }

    /** Offsets come from the database, never from Kafka's group offsets (this consumer never commits there). */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> stored = store.storedOffsets(partitions);
            Set<TopicPartition> fresh = new HashSet<>(partitions);
            stored.forEach((partition, offset) -> {
                consumer.seek(partition, offset);
                fresh.remove(partition);
            });
            // Never with an empty collection: Kafka reads that as "every assigned partition".
            if (!fresh.isEmpty()) {
                consumer.seekToBeginning(fresh);
            }
            metrics.partitionsAssigned(partitions);
            log.info(
                    "Assigned {} partitions; resuming {} from stored offsets, {} from the beginning",
                    partitions.size(),
                    stored.size(),
                    fresh.size());
            assigned.countDown();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            metrics.partitionsRevoked(partitions);
        }
    }
}
