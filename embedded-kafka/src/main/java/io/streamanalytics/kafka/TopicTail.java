package io.streamanalytics.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * For tests that share topics on one broker: remembers where the given topics end now, and later reads exactly
 * what was appended since, up to the then-current end. No consumer group, so nothing is committed anywhere.
 */
public final class TopicTail implements AutoCloseable {

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, Long> start;

    private TopicTail(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> start) {
        this.consumer = consumer;
        this.start = start;
    }

    /** Marks the current end of {@code topics}; topics must exist. */
    public static TopicTail fromEnd(String bootstrapServers, Collection<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            partitionsOf(consumer, topic)
                    .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        return new TopicTail(consumer, new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30))));
    }

    /**
     * The topic's partitions once the broker lists them: a topic created a moment ago may not be in the metadata it
     * answers with yet, and Kafka answers that with no partitions rather than an error; a tail without them would
     * silently read nothing of the topic.
     */
    private static List<PartitionInfo> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
        Instant deadline = Instant.now().plus(METADATA_TIMEOUT);
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        while (infos.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("topic " + topic + " has no partitions after " + METADATA_TIMEOUT);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
            infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        }
        return infos;
    }

    /** Everything appended since the mark up to the current end, grouped by topic, each partition in offset order. */
    public Map<String, List<ConsumerRecord<String, byte[]>>> readToEnd(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(start.keySet(), timeout);
        start.forEach(consumer::seek);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        while (!reached(end)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("could not read to the end of " + end + " within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    records.add(record);
                }
            }
        }
        return records.stream().collect(Collectors.groupingBy(ConsumerRecord::topic));
    }

    /** The end offsets now, summed per topic: how many records a topic has gained since the mark. */
    public long appendedSinceMark(String topic) {
        Map<TopicPartition, Long> end = consumer.endOffsets(start.keySet(), Duration.ofSeconds(10));
        return end.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(e -> e.getValue() - start.get(e.getKey()))
                .sum();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
