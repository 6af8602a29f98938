package io.streamanalytics.analytics.io;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Kafka client properties as options of Spark's Kafka source and sink. */
public final class KafkaOptions {

    /** Properties Spark manages itself and refuses as options; a SASL/TLS setting is never among them. */
    private static final Set<String> MANAGED_BY_SPARK = Set.of("auto.offset.reset", "enable.auto.commit",
            "interceptor.classes", "key.deserializer", "value.deserializer", "key.serializer", "value.serializer");

    private KafkaOptions() {
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
