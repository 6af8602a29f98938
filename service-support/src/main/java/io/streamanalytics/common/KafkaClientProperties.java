package io.streamanalytics.common;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client settings from the environment, the same way in every service: {@code KAFKA_BOOTSTRAP_SERVERS}
 * (default {@value #DEFAULT_BOOTSTRAP_SERVERS}), and any other {@code KAFKA_<NAME>} becomes the client
 * property {@code <name>} (lower case, {@code _} to {@code .}), so SASL/TLS for a real cluster needs no code.
 */
public final class KafkaClientProperties {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    private static final String PREFIX = "KAFKA_";

    /** Variables with the prefix that belong to Kafka's own launch scripts, not to a client. */
    private static final Set<String> NOT_CLIENT_SETTINGS = Set.of(
            "KAFKA_HOME",
            "KAFKA_OPTS",
            "KAFKA_HEAP_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS",
            "KAFKA_LOG4J_OPTS",
            "KAFKA_JMX_OPTS",
            "KAFKA_GC_LOG_OPTS",
            "KAFKA_DEBUG",
            "KAFKA_VERSION");

    /** Substrings of property names whose values are never logged. */
    private static final Set<String> SECRET_MARKERS =
            Set.of("password", "secret", "jaas", "token", "credential", "key");

    private KafkaClientProperties() {}

    /**
     * The client properties the environment asks for, bootstrap servers always set: immutable and sorted, the one
     * form every service keeps them in (Kafka's clients take a map).
     */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> props = new TreeMap<>();
        props.put("bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS);
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && !NOT_CLIENT_SETTINGS.contains(name)) {
                props.put(
                        name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return Collections.unmodifiableMap(props);
    }

    /** The properties as a sorted map fit for a log line: secret values replaced by {@code [redacted]}. */
    public static Map<String, String> redacted(Map<String, String> props) {
        Map<String, String> shown = new TreeMap<>();
        props.forEach((name, value) -> shown.put(name, isSecret(name) ? "[redacted]" : value));
        return shown;
    }

    static boolean isSecret(String propertyName) {
        String lower = propertyName.toLowerCase(Locale.ROOT);
        // "key.serializer" and "ssl.key.password" both contain "key"; only the latter is secret.
        if (lower.endsWith(".serializer") || lower.endsWith(".deserializer")) {
            return false;
        }
        return SECRET_MARKERS.stream().anyMatch(lower::contains);
    }
}
