package io.streamanalytics.benchmarks.analytics;

import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.benchmarks.Stats;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Event-to-result latency of one windowed pipeline: for each input event, from its event time (the simulator
 * sends it at that time, in real time and without disorder) to the moment a result including it was written.
 *
 * <p>"Including it" is decided by offsets, not by time: the event's micro-batch is the first whose end offset on the
 * event's partition is past the event's offset; that batch updates the event's window and writes its result
 * records during the batch (update mode). Two measures follow from it:
 * <ul>
 *   <li>{@link #toBatchEnd}: to the end of that micro-batch, by which all its results are written; an upper bound
 *       that holds for every update-mode pipeline, whatever its result keys;
 *   <li>{@link #toResultRecord}: to the broker timestamp of the first record for the event's window key written at
 *       or after that batch's start, for pipelines whose key follows from the input record alone. (Taking the
 *       first result after the send time instead would credit events that arrived while a batch was already
 *       running with that batch's result, which does not contain them.)
 * </ul>
 */
final class EventToResultLatency {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /** Latencies in milliseconds, and the events that had no result record at all. */
    record Summary(String pipeline, int events, int withoutResult, long p50, long p99, long max) {}

    /** When the result including an input record was written, given the batch that read it; -1 if never. */
    @FunctionalInterface
    private interface ResultTime {
        long of(ConsumerRecord<String, byte[]> input, ProgressLog.Batch batch);
    }

    private EventToResultLatency() {}

    /**
     * @param batches the pipeline query's micro-batches
     * @param from    events before this (the warm-up) are not counted
     */
    static Summary toBatchEnd(
            String bootstrapServers, Pipeline pipeline, List<ProgressLog.Batch> batches, Instant from) {
        return measure(
                bootstrapServers,
                pipeline,
                batches,
                from,
                (input, batch) -> batch.end().toEpochMilli());
    }

    /**
     * Works for pipelines whose only group field, if any, is the input record's key: {@code impressions_per_minute}
     * (no group, clickstream has no key) and {@code scotsmen_per_district} (the district, the scotsmen key).
     */
    static Summary toResultRecord(
            String bootstrapServers, Pipeline pipeline, List<ProgressLog.Batch> batches, Instant from) {
        long windowMillis = pipeline.defaults().window().toMillis();
        Map<String, List<Long>> collected = new HashMap<>();
        read(
                bootstrapServers,
                Topics.results(pipeline.name()),
                r -> collected.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.timestamp()));
        Map<String, long[]> resultTimes = new HashMap<>();
        collected.forEach((key, times) -> resultTimes.put(
                key, times.stream().mapToLong(Long::longValue).sorted().toArray()));
        return measure(bootstrapServers, pipeline, batches, from, (input, batch) -> {
            long windowStart = input.timestamp() - Math.floorMod(input.timestamp(), windowMillis);
            String key = pipeline.result()
                    .key(
                            Instant.ofEpochMilli(windowStart).toString(),
                            input.key() == null ? List.of() : List.of(input.key()));
            return firstAtOrAfter(resultTimes.get(key), batch.start().toEpochMilli());
        });
    }

    private static Summary measure(
            String bootstrapServers,
            Pipeline pipeline,
            List<ProgressLog.Batch> batches,
            Instant from,
            ResultTime resultTime) {
        List<Long> latencies = new ArrayList<>();
        int[] withoutResult = {0};
        for (EventType topic : pipeline.topics()) {
            read(bootstrapServers, topic.topicName(), r -> {
                if (r.timestamp() < from.toEpochMilli()) {
                    return;
                }
                String partition = topic.topicName() + "-" + r.partition();
                long result = batches.stream()
                        .filter(b -> b.endOffsets().getOrDefault(partition, 0L) > r.offset())
                        .findFirst()
                        .map(b -> resultTime.of(r, b))
                        .orElse(-1L);
                if (result < 0) {
                    withoutResult[0]++;
                } else {
                    latencies.add(result - r.timestamp());
                }
            });
        }
        long[] values = latencies.stream().mapToLong(Long::longValue).toArray();
        if (values.length == 0) {
            return new Summary(pipeline.name(), 0, withoutResult[0], -1, -1, -1);
        }
        return new Summary(
                pipeline.name(),
                values.length,
                withoutResult[0],
                Stats.percentile(values, 0.50),
                Stats.percentile(values, 0.99),
                Arrays.stream(values).max().orElse(-1));
    }

    private static long firstAtOrAfter(long[] sorted, long time) {
        if (sorted == null) {
            return -1;
        }
        int i = Arrays.binarySearch(sorted, time);
        int at = i >= 0 ? i : -i - 1;
        // binarySearch finds any equal element; step back to the first.
        while (at > 0 && sorted[at - 1] == time) {
            at--;
        }
        return at < sorted.length ? sorted[at] : -1;
    }

    /** Every record of a topic, from the beginning to its end when called. */
    private static void read(String bootstrapServers, String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", bootstrapServers, "max.poll.records", "5000"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " within " + READ_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }
}
