package io.streamanalytics.analytics.io;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Kafka client properties as options of Spark's Kafka source and sink. */
public final class KafkaOptions {

    /** Properties Spark manages itself and refuses as options; a SASL/TLS setting is never among them. */
    private static final Set<String> MANAGED_BY_SPARK = Set.of(
            "auto.offset.reset",
            "enable.auto.commit",
            "interceptor.classes",
            "key.deserializer",
            "value.deserializer",
            "key.serializer",
            "value.serializer");

    private KafkaOptions() {}

    /**
     * The options of one query's Kafka sink. Spark shares a producer among all sinks with the same options, and
     * every task's commit waits for that producer's flush: one query whose records the broker keeps refusing would
     * stall every other query's commits. A client id of the query's own gives each query its own producer.
     */
    public static Map<String, String> forSink(Map<String, String> kafka, String queryName) {
        Map<String, String> options = forSpark(kafka);
        String clientId = kafka.getOrDefault("client.id", "stream-analytics");
        options.put("kafka.client.id", clientId + "-" + queryName);
        return options;
    }

    public static Map<String, String> forSpark(Map<String, String> kafka) {
        Map<String, String> options = new TreeMap<>();
        kafka.forEach((name, value) -> {
            if (!MANAGED_BY_SPARK.contains(name)) {
                options.put("kafka." + name, value);
            }
        });
        return options;
    }
}
