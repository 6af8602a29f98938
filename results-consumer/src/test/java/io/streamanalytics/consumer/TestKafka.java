package io.streamanalytics.consumer;

import io.streamanalytics.kafka.SharedKafkaBroker;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** The shared test broker and a producer for it. */
public final class TestKafka {

    private TestKafka() {}

    public static String bootstrapServers() {
        return SharedKafkaBroker.get().bootstrapServers();
    }

    public static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrapServers(),
                        "acks",
                        "all",
                        "enable.idempotence",
                        "true",
                        "linger.ms",
                        "5"),
                new StringSerializer(),
                new StringSerializer());
    }

    /** Sends and waits for the broker's acknowledgement. */
    public static void send(KafkaProducer<String, String> producer, String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("cannot send to " + topic, e);
        }
    }

    /** Sends raw bytes (any key, any value, null included) and waits for the broker's acknowledgement. */
    public static RecordMetadata sendBytes(
            KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("cannot send to " + topic, e);
        }
    }

    /** The environment of a consumer on the shared broker with its own group and a fresh in-memory database. */
    public static Map<String, String> consumerEnvironment() {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                bootstrapServers(),
                "KAFKA_GROUP_ID",
                "test-" + UUID.randomUUID(),
                "KAFKA_METADATA_MAX_AGE_MS",
                "500",
                "HTTP_PORT",
                "0",
                "RESULTS_DB_URL",
                "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
