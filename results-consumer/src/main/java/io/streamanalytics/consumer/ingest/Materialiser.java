package io.streamanalytics.consumer.ingest;

import io.micrometer.core.instrument.Timer;
import io.streamanalytics.consumer.metrics.ConsumerMetrics;
import io.streamanalytics.consumer.store.ResultStore;
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
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * <p>Runs on its own thread ({@link #run()}); the KafkaConsumer is touched by that thread only.
 */
public final class Materialiser implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Materialiser.class);

    public static final Pattern TOPICS = Pattern.compile(
            Pattern.quote(Topics.RESULTS_PREFIX) + ".+|" + Pattern.quote(Topics.DEAD_LETTERS));
    static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    /** After a failed transaction the batch is read again; this spaces the retries while the database is down. */
    static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    static final int SAMPLE_SIZE = 50;

    private final KafkaConsumer<String, byte[]> consumer;
    private final ResultStore store;
    private final ResultParser parser;
    private final ConsumerMetrics metrics;
    private final Consumer<List<ResultRecord>> onApplied;
    private final Duration startTimeout;
    private final ProblemSample deadLetters = new ProblemSample(SAMPLE_SIZE);
    private final ProblemSample malformed = new ProblemSample(SAMPLE_SIZE);

    private final CountDownLatch assigned = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile Map<TopicPartition, Long> catchUpTargets;
    private volatile boolean ready;
    private volatile Throwable failure;

    public Materialiser(KafkaConsumer<String, byte[]> consumer, ResultStore store, ResultParser parser,
                        ConsumerMetrics metrics, Duration startTimeout, Consumer<List<ResultRecord>> onApplied) {
        this.consumer = consumer;
        this.store = store;
        this.parser = parser;
        this.metrics = metrics;
        this.startTimeout = startTimeout;
        this.onApplied = onApplied;
        metrics.readiness(this::isReady);
    }

    @Override
    public void run() {
        try {
            catchUpTargets = endOffsetsNow();
            log.info("Catching up with {} partitions of results and dead-letter topics", catchUpTargets.size());
            consumer.subscribe(TOPICS, new SeekToStoredOffsets());
            while (stopRequested.getCount() > 0) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    process(records);
                }
                updateLagAndReadiness();
            }
        } catch (WakeupException e) {
            if (stopRequested.getCount() > 0) {
                failure = e;
            }
        } catch (Throwable e) {
            log.error("The materialiser stopped on an unexpected error", e);
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    /** True once every partition assigned here has reached the end offset it had when this consumer started. */
    public boolean isReady() {
        return ready;
    }

    /** False once the poll loop has ended, for whatever reason. */
    public boolean isAlive() {
        return stopped.getCount() > 0;
    }

    public ProblemSample deadLetters() {
        return deadLetters;
    }

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
        stopped.await();
        return failure;
    }

    @Override
    public void close() {
        stopRequested.countDown();
        consumer.wakeup();
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                log.warn("The materialiser did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        List<ResultRecord> results = new ArrayList<>(records.count());
        List<ProblemSample.Problem> newDeadLetters = new ArrayList<>();
        List<ProblemSample.Problem> newMalformed = new ArrayList<>();
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        Instant now = Instant.now();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            firstOffsets.putIfAbsent(partition, record.offset());
            nextOffsets.put(partition, record.offset() + 1);
            SourcePosition source = new SourcePosition(record.topic(), record.partition(), record.offset());
            if (record.topic().equals(Topics.DEAD_LETTERS)) {
                newDeadLetters.add(deadLetter(source, record.value(), now));
                continue;
            }
            try {
                results.add(parser.parse(source, record.key(), record.value()));
            } catch (MalformedResultException e) {
                newMalformed.add(new ProblemSample.Problem(record.topic(), record.partition(), record.offset(),
                        text(record.value()), e.getMessage(), now));
            }
        }
        try {
            Timer.Sample timing = Timer.start();
            store.apply(results, nextOffsets);
            timing.stop(metrics.upsertTimer());
        } catch (StoreException e) {
            log.error("Could not store a batch of {} results; reading it again in {}", results.size(), RETRY_BACKOFF, e);
            firstOffsets.forEach(consumer::seek);
            stopRequested.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        // Counted only after the commit, so a batch that is read again is not counted twice.
        newDeadLetters.forEach(p -> {
            deadLetters.add(p);
            metrics.deadLetter(p.sourceTopic());
        });
        newMalformed.forEach(p -> {
            malformed.add(p);
            metrics.malformed(p.sourceTopic());
            log.warn("Skipped a malformed result at {}-{}@{}: {}", p.sourceTopic(), p.partition(), p.offset(), p.error());
        });
        metrics.materialised(results, Instant.now());
        if (!results.isEmpty()) {
            onApplied.accept(results);
        }
    }

    private static ProblemSample.Problem deadLetter(SourcePosition source, byte[] value, Instant now) {
        try {
            DeadLetter letter = Json.MAPPER.readValue(value, DeadLetter.class);
            return new ProblemSample.Problem(letter.sourceTopic() == null ? "unknown" : letter.sourceTopic(),
                    letter.partition(), letter.offset(), letter.raw(), letter.error(), now);
        } catch (IOException | RuntimeException e) {
            // Still a dead letter: counted, with the unreadable envelope as its raw value.
            return new ProblemSample.Problem("unknown", source.partition(), source.offset(), text(value),
                    "unreadable dead letter: " + e.getMessage(), now);
        }
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private void updateLagAndReadiness() {
        Set<TopicPartition> assignment = consumer.assignment();
        for (TopicPartition partition : assignment) {
            consumer.currentLag(partition).ifPresent(lag -> metrics.lag(partition, lag));
        }
        if (!ready && assigned.getCount() == 0) {
            ready = catchUpTargets.entrySet().stream()
                    .filter(target -> assignment.contains(target.getKey()))
                    .allMatch(target -> positionOrZero(target.getKey()) >= target.getValue());
            if (ready) {
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
            log.info("Assigned {} partitions; resuming {} from stored offsets, {} from the beginning",
                    partitions.size(), stored.size(), fresh.size());
            assigned.countDown();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            metrics.partitionsRevoked(partitions);
        }
    }
}
