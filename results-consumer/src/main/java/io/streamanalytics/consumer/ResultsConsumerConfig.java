package io.streamanalytics.consumer;

import io.streamanalytics.common.Durations;
import io.streamanalytics.common.Setting;
import io.streamanalytics.common.Settings;
import io.streamanalytics.consumer.store.Database;
import io.streamanalytics.schemas.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Everything the results-consumer reads from its environment: each variable declared once in {@link #SETTINGS},
 * with its default, bounds and meaning (docs/results-consumer.md shows {@link Settings#markdownTable()} of it).
 * Build it with {@link #fromEnvironment(Map)}; it never changes afterwards.
 */
public final class ResultsConsumerConfig {

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

    static final Setting<Map<String, String>> KAFKA = Setting.kafkaClient(
                    Map.of("group.id", DEFAULT_GROUP_ID, "metadata.max.age.ms", DEFAULT_METADATA_MAX_AGE_MS))
            .check(
                    props -> !"true".equalsIgnoreCase(props.getOrDefault("enable.auto.commit", "false")),
                    (name, props) ->
                            "KAFKA_ENABLE_AUTO_COMMIT=true is not allowed: offsets are stored in the results database")
            .doc("any Kafka consumer property `<name>` (lower case, `_` → `.`), e.g. `KAFKA_BOOTSTRAP_SERVERS`,"
                    + " `KAFKA_SECURITY_PROTOCOL`, `KAFKA_SASL_JAAS_CONFIG`; secrets are redacted in the log."
                    + " `KAFKA_GROUP_ID`: instances of one group share the partitions (and must share the database);"
                    + " `KAFKA_GROUP_INSTANCE_ID`: static membership, a restarted instance gets its partitions back at"
                    + " once instead of after the session timeout; `KAFKA_METADATA_MAX_AGE_MS`: how soon a new"
                    + " `results.*` topic is noticed (Kafka's own default is 5 minutes)");
    static final Setting<Integer> HTTP_PORT = Setting.integer("HTTP_PORT", DEFAULT_HTTP_PORT, 0, 65535)
            .doc("dashboard, API, `/metrics`, `/health/*` (0 picks a free port)");
    static final Setting<String> DB_URL = Setting.string("RESULTS_DB_URL", DEFAULT_DB_URL)
            .check(
                    url -> url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:"),
                    (name, url) -> name + " must be a jdbc:h2: or jdbc:postgresql: URL, got '" + url + "'")
            .shownAs(ResultsConsumerConfig::redactUrl)
            .logAs("dbUrl")
            .doc("JDBC URL: `jdbc:h2:...` or `jdbc:postgresql://host:5432/db`");
    static final Setting<String> DB_USER = Setting.string("RESULTS_DB_USER", null)
            .defaultValue(values -> isH2(values.get(DB_URL)) ? DEFAULT_DB_USER : "", "`sa` for H2, empty otherwise")
            .logAs("dbUser")
            .doc("database user");
    static final Setting<String> DB_PASSWORD = Setting.string("RESULTS_DB_PASSWORD", "")
            .secret()
            .logAs("dbPassword")
            .doc("never logged (nor a `password=` inside the URL)");
    static final Setting<Integer> DB_POOL_SIZE = Setting.integer("RESULTS_DB_POOL_SIZE", DEFAULT_DB_POOL_SIZE, 2, 200)
            .logAs("dbPoolSize")
            .doc("HikariCP connections of the HTTP readers; the materialiser has its own pool of 2, so API load cannot"
                    + " take its connections (a request that finds every reader busy for 5 s gets 503)");
    static final Setting<Integer> START_TIMEOUT_SECONDS = Setting.integer(
                    "START_TIMEOUT_SECONDS", (int) DEFAULT_START_TIMEOUT.toSeconds(), 1, 3600)
            .doc("start-up must reach the database and Kafka and get its partitions within this time");
    static final Setting<String> RAW_VALUES_TOPIC = Setting.string("RAW_VALUES_TOPIC", Topics.RANDOM_VALUES.topicName())
            .doc("raw input drawn as the \"original\" line beside `random_value_avg`");
    static final Setting<Duration> READINESS_GRACE = Setting.duration("READINESS_GRACE", DEFAULT_READINESS_GRACE)
            .check(grace -> !grace.isNegative(), (name, grace) -> name + " cannot be negative, got " + grace)
            .doc("how long Kafka may not answer, or results fail to be stored, before `/health/ready` turns 503"
                    + " (any duration: `500ms`, `10s`, `PT1M`)");
    static final Setting<Integer> STREAM_MAX_CLIENTS = Setting.integer(
                    "STREAM_MAX_CLIENTS", DEFAULT_MAX_STREAM_CLIENTS, 1, 1000)
            .logAs("maxStreamClients")
            .doc("concurrent `/api/stream` connections (each has its own sending thread); more get 503");
    static final Setting<Duration> HTTP_IDLE_TIMEOUT = Setting.duration("HTTP_IDLE_TIMEOUT", DEFAULT_HTTP_IDLE_TIMEOUT)
            .check(
                    timeout -> timeout.compareTo(Duration.ofSeconds(1)) >= 0,
                    (name, timeout) -> name + " must be at least 1s, got " + Durations.format(timeout))
            .doc("an HTTP connection with no traffic, or a write blocked, for this long is closed (at least `1s`)");

    /** The results-consumer's settings, in the order they are checked, logged and documented. */
    public static final Settings SETTINGS = Settings.of(
            KAFKA,
            HTTP_PORT,
            DB_URL,
            DB_USER,
            DB_PASSWORD,
            DB_POOL_SIZE,
            START_TIMEOUT_SECONDS,
            RAW_VALUES_TOPIC,
            READINESS_GRACE,
            STREAM_MAX_CLIENTS,
            HTTP_IDLE_TIMEOUT);

    private final Settings.Values values;

    private ResultsConsumerConfig(Settings.Values values) {
        this.values = Objects.requireNonNull(values);
    }

    /**
     * Reads and validates the configuration.
     *
     * @throws IllegalArgumentException naming every invalid variable at once
     */
    public static ResultsConsumerConfig fromEnvironment(Map<String, String> env) {
        return new ResultsConsumerConfig(SETTINGS.parse(env));
    }

    /** The Kafka client properties (a copy: callers add their own deserializers). */
    public Properties kafka() {
        Properties copy = new Properties();
        copy.putAll(values.get(KAFKA));
        return copy;
    }

    /** {@code HTTP_PORT}: dashboard, REST API, metrics and health (0 picks a free port). */
    public int httpPort() {
        return values.get(HTTP_PORT);
    }

    /** {@code RESULTS_DB_URL}: JDBC URL of H2 or PostgreSQL. */
    public String dbUrl() {
        return values.get(DB_URL);
    }

    public String dbUser() {
        return values.get(DB_USER);
    }

    /** Never logged. */
    public String dbPassword() {
        return values.get(DB_PASSWORD);
    }

    /** Connections of the HTTP readers (the writer has its own). */
    public int dbPoolSize() {
        return values.get(DB_POOL_SIZE);
    }

    /** How long start-up may take to reach Kafka and the database. */
    public Duration startTimeout() {
        return Duration.ofSeconds(values.get(START_TIMEOUT_SECONDS));
    }

    /** Input topic whose raw values the dashboard draws as "original". */
    public String rawValuesTopic() {
        return values.get(RAW_VALUES_TOPIC);
    }

    /** How long Kafka may be unreachable, or storing fail, before {@code /health/ready} says so. */
    public Duration readinessGrace() {
        return values.get(READINESS_GRACE);
    }

    /** Concurrent {@code /api/stream} connections; more get 503. */
    public int maxStreamClients() {
        return values.get(STREAM_MAX_CLIENTS);
    }

    /** An HTTP connection that neither sends nor takes data for this long is closed. */
    public Duration httpIdleTimeout() {
        return values.get(HTTP_IDLE_TIMEOUT);
    }

    /** The settings fit for a log line: passwords and other secrets replaced by {@code [redacted]}. */
    public Map<String, Object> redacted() {
        return SETTINGS.redacted(values);
    }

    @Override
    public String toString() {
        return "ResultsConsumerConfig" + redacted();
    }

    /** What the database pools need of this configuration. */
    public Database.Settings database() {
        return new Database.Settings(dbUrl(), dbUser(), dbPassword(), dbPoolSize(), startTimeout());
    }

    private static boolean isH2(String url) {
        return url.startsWith("jdbc:h2:");
    }

    /** JDBC URLs may carry credentials as parameters ({@code password=...}); those are not for logs. */
    static String redactUrl(String url) {
        return url.replaceAll("(?i)(\\w*password)=([^;&]*)", "$1=[redacted]");
    }
}
