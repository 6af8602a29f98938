package io.streamanalytics.simulator.send;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.streamanalytics.schemas.topics.EventType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to Kafka with an idempotent producer and {@code acks=all}: a record counts as sent only once every
 * in-sync replica has it, and retries never duplicate it. The record timestamp is the event time.
 */
public final class KafkaRecordSink implements RecordSink {

    private static final Logger log = LoggerFactory.getLogger(KafkaRecordSink.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Enough to see a pattern in the log without flooding it when the broker is gone. */
    private static final long LOGGED_ERRORS = 10;

    /**
     * Throughput defaults a user may override through {@code KAFKA_*}. The linger lets a produce request carry
     * batches of tens of records at a few thousand events/s instead of one or two: the broker's work per request
     * and per batch is most of what the simulator costs it, which matters where both share a small machine with
     * the analytics (docs/benchmarks.md). At demo rates the wait is not noticeable.
     */
    public static final Map<String, String> TUNABLE_DEFAULTS = Map.of(
            ProducerConfig.LINGER_MS_CONFIG, "25",
            ProducerConfig.BATCH_SIZE_CONFIG, "65536",
            ProducerConfig.CLIENT_ID_CONFIG, "producer-simulator");

    private final KafkaProducer<String, byte[]> producer;
    private final SimulatorMetrics metrics;
    /** The producer's own metrics (send rate, batch size, request latency, buffer) as kafka_producer_* meters. */
    private final KafkaClientMetrics clientMetrics;

    private final AtomicLong errorsLogged = new AtomicLong();

    public KafkaRecordSink(Map<String, String> kafka, SimulatorMetrics metrics) {
        this.metrics = metrics;
        this.producer =
                new KafkaProducer<>(producerProperties(kafka), new StringSerializer(), new ByteArraySerializer());
        this.clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(metrics.registry());
    }

    /** The producer properties: the user's, over tunable defaults, under the guarantees this sink promises. */
    static Map<String, Object> producerProperties(Map<String, String> kafka) {
        Map<String, Object> props = new HashMap<>();
        props.putAll(TUNABLE_DEFAULTS);
        props.putAll(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return props;
    }

    @Override
    public void send(EventType topic, String key, byte[] value, long timestampMs) {
        long sentAt = System.nanoTime();
        String name = topic.topicName();
        producer.send(new ProducerRecord<>(name, null, timestampMs, key, value), (metadata, error) -> {
            if (error == null) {
                metrics.acknowledged(name, System.nanoTime() - sentAt);
            } else {
                metrics.failed(name);
                if (errorsLogged.incrementAndGet() <= LOGGED_ERRORS) {
                    log.error("Kafka did not acknowledge a {} record: {}", name, error.toString());
                }
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
        clientMetrics.close();
    }
}
