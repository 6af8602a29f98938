package io.streamanalytics.common;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
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
            "KAFKA_HOME", "KAFKA_OPTS", "KAFKA_HEAP_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS",
            "KAFKA_JMX_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG", "KAFKA_VERSION");

    /** Substrings of property names whose values are never logged. */
    private static final Set<String> SECRET_MARKERS = Set.of("password", "secret", "jaas", "token", "credential", "key");

    private KafkaClientProperties() {
    }

    /** The client properties the environment asks for, bootstrap servers always set. */
    public static Properties fromEnvironment(Map<String, String> env) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS);
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && !NOT_CLIENT_SETTINGS.contains(name)) {
                props.setProperty(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return props;
    }

    /** The same properties as an immutable map, for immutable service configurations. */
    public static Map<String, String> mapFromEnvironment(Map<String, String> env) {
        Properties props = fromEnvironment(env);
        Map<String, String> map = new TreeMap<>();
        props.stringPropertyNames().forEach(name -> map.put(name, props.getProperty(name)));
        return Collections.unmodifiableMap(map);
    }

    /** The properties as a sorted map fit for a log line: secret values replaced by {@code [redacted]}. */
    public static Map<String, String> redacted(Properties props) {
        Map<String, String> shown = new TreeMap<>();
        props.stringPropertyNames().forEach(name -> shown.put(name, isSecret(name) ? "[redacted]" : props.getProperty(name)));
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
