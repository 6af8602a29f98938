package io.streamanalytics.analytics.io;

import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.DeadLetter;
import io.streamanalytics.schemas.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Dead letters to the {@code dead-letters} topic, keyed {@code <topic>|<partition>|<offset>} so that a reader can
 * drop the duplicates a retried task may send (dead letters are at-least-once, like Spark's own Kafka sink).
 * One producer per executor JVM and Kafka configuration is shared by all tasks, as Spark's Kafka sink does.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink {

    private static final long serialVersionUID = 1L;
    private static final Map<Map<String, String>, KafkaProducer<String, byte[]>> PRODUCERS = new ConcurrentHashMap<>();

    private final Map<String, String> kafka;
    /** The first failed send of this task's sink: every task works on its own deserialised copy of the sink. */
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param kafka the Kafka client properties of the service ({@code KAFKA_*}) */
    public KafkaDeadLetterSink(Map<String, String> kafka) {
        this.kafka = Map.copyOf(kafka);
    }

    @Override
    public void send(DeadLetter letter) {
        String key = letter.sourceTopic() + "|" + letter.partition() + "|" + letter.offset();
        producer().send(new ProducerRecord<>(Topics.DEAD_LETTERS, key, Json.toBytes(letter)), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
    }

    @Override
    public void flush() {
        producer().flush();
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("cannot write dead letters to " + Topics.DEAD_LETTERS, error);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return PRODUCERS.computeIfAbsent(kafka, KafkaDeadLetterSink::createProducer);
    }

    private static KafkaProducer<String, byte[]> createProducer(Map<String, String> kafka) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        Runtime.getRuntime().addShutdownHook(new Thread(producer::close, "dead-letter-producer-close"));
        return producer;
    }
}
