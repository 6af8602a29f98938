package io.streamanalytics.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for end-to-end tests: events in as a producer would send them, results out by key. */
final class KafkaTestSupport implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Map<String, JsonNode>> latestByTopic = new TreeMap<>();
    private final Map<String, List<ConsumerRecord<String, String>>> recordsByTopic = new TreeMap<>();

    KafkaTestSupport(String bootstrapServers) {
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        // Room for the hostile records of the tests, which go up to the broker's default 1 MiB.
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        2 * 1024 * 1024),
                new StringSerializer(),
                new ByteArraySerializer());
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + System.nanoTime(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                        "500"),
                new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(Pattern.compile(Pattern.quote(Topics.RESULTS_PREFIX) + ".*|" + Topics.DEAD_LETTERS));
    }

    /** Sends events the way a producer following the contract does: registry key, common-schemas JSON. */
    @SafeVarargs
    final <E extends Event> void send(EventType topic, E... events) {
        for (E event : events) {
            sendRaw(topic.topicName(), topic.key(event), Json.toBytes(event));
        }
        producer.flush();
    }

    /** Sends one record as given, waiting for its acknowledgement, and returns where it was stored. */
    RecordMetadata sendRaw(String topic, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    RecordMetadata sendRaw(String topic, String value) {
        return sendRaw(topic, null, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads what has arrived and returns the latest value per key of a topic, as a compacted topic would keep. */
    Map<String, JsonNode> latest(String topic) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            recordsByTopic
                    .computeIfAbsent(record.topic(), t -> new ArrayList<>())
                    .add(record);
            try {
                latestByTopic
                        .computeIfAbsent(record.topic(), t -> new TreeMap<>())
                        .put(record.key(), Json.MAPPER.readTree(record.value()));
            } catch (IOException e) {
                throw new UncheckedIOException("result is not JSON: " + record.value(), e);
            }
        }
        return Map.copyOf(latestByTopic.getOrDefault(topic, Map.of()));
    }

    /** Every record of a topic read so far by {@link #latest}, duplicates included, in the order read. */
    List<ConsumerRecord<String, String>> records(String topic) {
        return List.copyOf(recordsByTopic.getOrDefault(topic, List.of()));
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
