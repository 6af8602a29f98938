package io.streamanalytics.consumer.ingest;

import io.streamanalytics.common.JsonSerde;
import io.streamanalytics.schemas.events.RandomValueEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last few raw values of the random-values input topic in memory, for the dashboard's "original" line
 * beside the reduced averages, as the granularity-reduction notebook (docs/notebooks.md) plots them. Not
 * materialised and not part of exactly-once: on start it reads just the tail of each partition. Without a consumer
 * group, so it waits for the topic to exist instead of subscribing.
 */
public final class RawValuesTail implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RawValuesTail.class);
    static final Duration TOPIC_CHECK_INTERVAL = Duration.ofSeconds(2);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final int capacity;
    private final java.util.function.Consumer<List<RandomValueEvent>> onValues;
    private final Deserializer<RandomValueEvent> deserializer = new JsonSerde<>(RandomValueEvent.class).deserializer();
    private final RecentItems<RandomValueEvent> recent;
    private final PollLoop loop;

    public RawValuesTail(
            Consumer<String, byte[]> consumer,
            String topic,
            int capacity,
            java.util.function.Consumer<List<RandomValueEvent>> onValues) {
        this.consumer = consumer;
        this.topic = topic;
        this.capacity = capacity;
        this.onValues = onValues;
        this.recent = new RecentItems<>(capacity);
        this.loop = new PollLoop(consumer, "raw-values tail", Duration.ofSeconds(10));
    }

    @Override
    public void run() {
        try {
            while (loop.running() && !assignTail()) {
                loop.pause(TOPIC_CHECK_INTERVAL);
            }
            while (loop.running()) {
                List<RandomValueEvent> values = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        RandomValueEvent value = deserializer.deserialize(topic, record.value());
                        if (value != null && value.ts() != null) {
                            values.add(value);
                        }
                    } catch (SerializationException e) {
                        // The analytics dead-letters bad input; the chart just leaves it out.
                    }
                }
                if (!values.isEmpty()) {
                    recent.addAll(values);
                    onValues.accept(values);
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Stopped reading raw values from {}; the dashboard shows averages only", topic, e);
        } finally {
            loop.end();
        }
    }

    /** The most recent raw values, oldest first. */
    public List<RandomValueEvent> recent() {
        return recent.recent();
    }

    @Override
    public void close() {
        loop.stop();
    }

    private boolean assignTail() {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, TOPIC_CHECK_INTERVAL);
        } catch (TimeoutException e) {
            return false;
        }
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> assignment = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(assignment);
        Map<TopicPartition, Long> ends = consumer.endOffsets(assignment);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(assignment);
        assignment.forEach(p -> consumer.seek(p, Math.max(begins.get(p), ends.get(p) - capacity)));
        log.info("Reading the last {} raw values of {} for the dashboard", capacity, topic);
        return true;
    }
}
