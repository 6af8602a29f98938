package io.streamanalytics.consumer;

import io.streamanalytics.common.Durations;
import io.streamanalytics.common.EnvironmentReader;
import io.streamanalytics.common.KafkaClientProperties;
import io.streamanalytics.consumer.store.Database;
import io.streamanalytics.schemas.topics.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the results-consumer reads from its environment, with the defaults and the validation in one place.
 * Build it with {@link #fromEnvironment(Map)}; it never changes afterwards.
 *
 * @param kafka               Kafka client properties ({@code KAFKA_BOOTSTRAP_SERVERS} and any other {@code KAFKA_*})
 * @param httpPort            {@code HTTP_PORT}: dashboard, REST API, metrics and health (0 picks a free port)
 * @param dbUrl               {@code RESULTS_DB_URL}: JDBC URL of H2 or PostgreSQL
 * @param dbUser              {@code RESULTS_DB_USER}
 * @param dbPassword          {@code RESULTS_DB_PASSWORD}; never logged
 * @param dbPoolSize          {@code RESULTS_DB_POOL_SIZE}: connections of the HTTP readers (the writer has its own)
 * @param startTimeout        {@code START_TIMEOUT_SECONDS}: how long start-up may take to reach Kafka and the database
 * @param rawValuesTopic      {@code RAW_VALUES_TOPIC}: input topic whose raw values the dashboard draws as "original"
 * @param readinessGrace      {@code READINESS_GRACE}: how long Kafka may be unreachable, or storing fail, before
 *                            {@code /health/ready} says so
 * @param maxStreamClients    {@code STREAM_MAX_CLIENTS}: concurrent {@code /api/stream} connections; more get 503
 * @param httpIdleTimeout     {@code HTTP_IDLE_TIMEOUT}: an HTTP connection that neither sends nor takes data for
 *                            this long is closed (a half-sent request, an event stream nobody reads)
 */
public record ConsumerConfig(
        Properties kafka,
        int httpPort,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        Duration startTimeout,
        String rawValuesTopic,
        Duration readinessGrace,
        int maxStreamClients,
        Duration httpIdleTimeout) {

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/results;DB_CLOSE_ON_EXIT=FALSE";
    public static final String DEFAULT_DB_USER = "sa";
    public static final int DEFAULT_DB_POOL_SIZE = 8;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    /** Longer than a broker's leader election or a database fail-over, short enough for an orchestrator to act. */
    public static final Duration DEFAULT_READINESS_GRACE = Duration.ofSeconds(30);
    /** A dashboard is one stream per open tab; each stream has its own sending thread. */
    public static final int DEFAULT_MAX_STREAM_CLIENTS = 32;
    /** The event stream sends a comment every {@code ResultStream.HEARTBEAT}, well within this. */
    public static final Duration DEFAULT_HTTP_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_GROUP_ID = "results-consumer";
    /** New results.* topics are found on the next metadata refresh; Kafka's 5-minute default is too slow for a demo. */
    public static final String DEFAULT_METADATA_MAX_AGE_MS = "5000";

    public ConsumerConfig {
        Properties copy = new Properties();
        copy.putAll(kafka);
        kafka = copy;
    }

    /** The Kafka client properties (a copy: callers add their own deserializers). */
    @Override
    public Properties kafka() {
        Properties copy = new Properties();
        copy.putAll(kafka);
        return copy;
    }

    /**
     * Reads and validates the configuration.
     *
     * @throws IllegalArgumentException naming every invalid variable at once
     */
    public static ConsumerConfig fromEnvironment(Map<String, String> env) {
        EnvironmentReader reader = new EnvironmentReader(env);
        Properties kafka = KafkaClientProperties.fromEnvironment(env);
        kafka.putIfAbsent("group.id", DEFAULT_GROUP_ID);
        kafka.putIfAbsent("metadata.max.age.ms", DEFAULT_METADATA_MAX_AGE_MS);
        if ("true".equalsIgnoreCase(kafka.getProperty("enable.auto.commit", "false"))) {
            reader.problem("KAFKA_ENABLE_AUTO_COMMIT=true is not allowed: offsets are stored in the results database");
        }
        int httpPort = reader.integer("HTTP_PORT", DEFAULT_HTTP_PORT, 0, 65535);
        String dbUrl = reader.string("RESULTS_DB_URL", DEFAULT_DB_URL);
        if (!dbUrl.startsWith("jdbc:h2:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            reader.problem("RESULTS_DB_URL must be a jdbc:h2: or jdbc:postgresql: URL, got '" + dbUrl + "'");
        }
        String dbUser = reader.string("RESULTS_DB_USER", dbUrl.startsWith("jdbc:h2:") ? DEFAULT_DB_USER : "");
        String dbPassword = env.getOrDefault("RESULTS_DB_PASSWORD", "");
        int poolSize = reader.integer("RESULTS_DB_POOL_SIZE", DEFAULT_DB_POOL_SIZE, 2, 200);
        int startSeconds = reader.integer("START_TIMEOUT_SECONDS", (int) DEFAULT_START_TIMEOUT.toSeconds(), 1, 3600);
        String rawValuesTopic = reader.string("RAW_VALUES_TOPIC", Topics.RANDOM_VALUES.topicName());
        Duration grace = reader.duration("READINESS_GRACE", DEFAULT_READINESS_GRACE);
        if (grace.isNegative()) {
            reader.problem("READINESS_GRACE cannot be negative, got " + grace);
        }
        int maxStreamClients = reader.integer("STREAM_MAX_CLIENTS", DEFAULT_MAX_STREAM_CLIENTS, 1, 1000);
        Duration idleTimeout = reader.duration("HTTP_IDLE_TIMEOUT", DEFAULT_HTTP_IDLE_TIMEOUT);
        if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            reader.problem("HTTP_IDLE_TIMEOUT must be at least 1s, got " + Durations.format(idleTimeout));
        }
        reader.requireValid();
        return new ConsumerConfig(kafka, httpPort, dbUrl, dbUser, dbPassword, poolSize,
                Duration.ofSeconds(startSeconds), rawValuesTopic, grace, maxStreamClients, idleTimeout);
    }

    /** The settings fit for a log line: passwords and other secrets replaced by {@code [redacted]}. */
    public Map<String, Object> redacted() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("kafka", KafkaClientProperties.redacted(kafka));
        shown.put("httpPort", httpPort);
        shown.put("dbUrl", redactUrl(dbUrl));
        shown.put("dbUser", dbUser);
        shown.put("dbPassword", dbPassword.isEmpty() ? "" : "[redacted]");
        shown.put("dbPoolSize", dbPoolSize);
        shown.put("startTimeout", startTimeout);
        shown.put("rawValuesTopic", rawValuesTopic);
        shown.put("readinessGrace", Durations.format(readinessGrace));
        shown.put("maxStreamClients", maxStreamClients);
        shown.put("httpIdleTimeout", Durations.format(httpIdleTimeout));
        return shown;
    }

    @Override
    public String toString() {
        return "ConsumerConfig" + redacted();
    }

    /** What the database pools need of this configuration. */
    public Database.Settings database() {
        return new Database.Settings(dbUrl, dbUser, dbPassword, dbPoolSize, startTimeout);
    }

    /** JDBC URLs may carry credentials as parameters ({@code password=...}); those are not for logs. */
    static String redactUrl(String url) {
        return url.replaceAll("(?i)(\\w*password)=([^;&]*)", "$1=[redacted]");
    }
}
