package io.streamanalytics.consumer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamanalytics.schemas.events.RandomValueEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The raw-values tail driven by Kafka's own {@link MockConsumer}: where it starts reading and what it keeps, without a
 * broker. Records reach it as poll tasks, so the consumer is touched by the tail's thread only.
 */
class RawValuesTailTest {

    private static final String TOPIC = "random-values";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Instant T0 = Instant.parse("2024-12-03T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void shouldStartCapacityRecordsBeforeTheEndAndKeepOnlyTheLatestValidValues() {
        MockConsumer<String, byte[]> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        Node broker = new Node(0, "localhost", 9092);
        kafka.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, broker, new Node[0], new Node[0])));
        kafka.updateBeginningOffsets(Map.of(PARTITION, 0L));
        kafka.updateEndOffsets(Map.of(PARTITION, 500L));
        List<RandomValueEvent> published = Collections.synchronizedList(new ArrayList<>());
        RawValuesTail tail = new RawValuesTail(kafka, TOPIC, 3, published::addAll);
        // Offsets 495 and 496 lie before where a tail of three starts (500 - 3); 498 is not a random value.
        kafka.schedulePollTask(() -> {
            for (long offset = 495; offset < 500; offset++) {
                String value = offset == 498
                        ? "{\"ts\":"
                        : "{\"ts\":\"" + T0.plusSeconds(offset) + "\",\"value\":" + offset + "}";
                kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, null, value.getBytes(StandardCharsets.UTF_8)));
            }
        });
        kafka.schedulePollTask(() -> kafka.addRecord(new ConsumerRecord<>(
                TOPIC,
                0,
                500,
                null,
                ("{\"ts\":\"" + T0.plusSeconds(500) + "\",\"value\":500}").getBytes(StandardCharsets.UTF_8))));
        new Thread(tail, "raw-values-tail-under-test").start();
        try {
            await().atMost(WAIT).until(() -> published.size() == 3);

            assertThat(tail.recent()).extracting(RandomValueEvent::value).containsExactly(497, 499, 500);
            assertThat(published).extracting(RandomValueEvent::value).containsExactly(497, 499, 500);
        } finally {
            tail.close();
        }
    }
}
