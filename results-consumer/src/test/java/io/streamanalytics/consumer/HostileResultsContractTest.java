package io.streamanalytics.consumer;

import static io.streamanalytics.consumer.TestResults.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.testing.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile records on the results and dead-letters topics, as raw bytes from a plain producer, interleaved with good
 * results whose values are known: the REST API serves exactly the good values, every row is written only by the
 * records that own it, every hostile record is exactly one problem, and the consumer keeps going. Run against each
 * supported database by a subclass, because what breaks a transaction differs between them.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileResultsContractTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SCOTSMEN = "scotsmen_per_district";
    static final Duration WINDOW = Duration.ofMinutes(3);
    static final Instant DAY = Instant.parse("2024-12-03T00:00:00Z");
    /** A district name the test adds a CHECK constraint for: a value that passes validation and the database refuses. */
    static final String REFUSED_BY_DATABASE = "Refused by the database";

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    /** An uncatalogued pipeline of this class only. */
    private final String sensors = "hostile_" + id;

    private ResultsConsumerService service;
    private HttpTestClient http;
    private KafkaProducer<byte[], byte[]> producer;
    /** Where each hostile record landed, and how its problem's error must begin. */
    private final Map<String, String> expectedErrors = new LinkedHashMap<>();

    /** The environment variables that point the consumer at this class's own empty database. */
    abstract Map<String, String> database() throws Exception;

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = new HashMap<>(TestKafka.consumerEnvironment());
        env.putAll(database());
        producer = new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers",
                        TestKafka.bootstrapServers(),
                        "acks",
                        "all",
                        "enable.idempotence",
                        "true",
                        "max.request.size",
                        "2000000"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        service = ResultsConsumerService.start(ResultsConsumerConfig.fromEnvironment(env));
        http = new HttpTestClient(service.httpPort());
        execute(
                env,
                "ALTER TABLE results ADD CONSTRAINT refused_by_test CHECK (group_1 IS NULL OR group_1 <> '"
                        + REFUSED_BY_DATABASE + "')");
        // Ready: whatever the broker held before is read before this test's records are counted.
        await().atMost(WAIT).until(service::isReady);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void shouldServeExactlyTheGoodResultsAndMakeEachHostileRecordOneProblem() throws Exception {
        Instant w0 = DAY;
        Instant w1 = w0.plus(WINDOW);
        long malformedBefore =
                problems().get("malformed_results").get("count_since_start").asLong();
        long deadLettersBefore =
                problems().get("dead_letters").get("count_since_start").asLong();
        String longPipeline = "long_" + "p".repeat(215);

        good(SCOTSMEN, key(SCOTSMEN, w0, "Lisboa"), scotsmen(w0, "Lisboa", 5));
        hostile(
                "pipeline name of topic is longer than 200 characters",
                longPipeline,
                key(longPipeline, w0),
                TestResults.value(longPipeline, w0, WINDOW, fields("n", 1), w0));
        good(SCOTSMEN, key(SCOTSMEN, w0, "Porto"), scotsmen(w0, "Porto", 7));
        // A NUL is valid JSON (an escape) and a valid key, and reachable from a voter's party; PostgreSQL refuses it.
        hostile(
                "field district contains a NUL character",
                SCOTSMEN,
                key(SCOTSMEN, w0, "Lisboa"),
                scotsmen(w0, "Lis\u0000boa", 1));
        hostile("key contains a NUL character", SCOTSMEN, key(SCOTSMEN, w0, "Lis\u0000boa"), scotsmen(w0, "Lisboa", 1));
        hostile(
                "window_start +300000-01-01T00:00:00Z is outside",
                SCOTSMEN,
                SCOTSMEN + "|+300000-01-01T00:00:00Z|Lisboa",
                "{\"pipeline\":\"" + SCOTSMEN
                        + "\",\"window_start\":\"+300000-01-01T00:00:00Z\",\"district\":\"Lisboa\",\"total_new_scotsmen\":1}");
        good(SCOTSMEN, key(SCOTSMEN, w1, "Lisboa"), scotsmen(w1, "Lisboa", 9));
        // A key naming another window: it must not overwrite Lisboa's first window.
        hostile("key does not match the value", SCOTSMEN, key(SCOTSMEN, w0, "Lisboa"), scotsmen(w1, "Lisboa", 999));
        // Another results topic carrying a scotsmen key, once with its own pipeline and once with scotsmen's.
        hostile(
                "key does not match the value",
                sensors,
                key(SCOTSMEN, w0, "Porto"),
                TestResults.value(sensors, w0, WINDOW, fields("sensor", "Porto", "max", 1), w0));
        hostile(
                "pipeline 'scotsmen_per_district' does not match topic results." + sensors,
                sensors,
                key(SCOTSMEN, w0, "Porto"),
                scotsmen(w0, "Porto", 999));
        hostile(
                "metric field total_new_scotsmen must be a number, got STRING",
                SCOTSMEN,
                key(SCOTSMEN, w1, "Porto"),
                TestResults.value(
                        SCOTSMEN,
                        w1,
                        WINDOW,
                        fields("district", "Porto", "event_count", 1, "total_new_scotsmen", "many"),
                        w1));
        hostile("missing key", SCOTSMEN, null, scotsmen(w1, "Porto", 999));
        hostileBytes("null value (tombstone)", SCOTSMEN, key(SCOTSMEN, w0, "Lisboa"), null);
        hostileBytes("not JSON", SCOTSMEN, key(SCOTSMEN, w0, "Lisboa"), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});
        hostile(
                "group field district is longer than 200",
                SCOTSMEN,
                key(SCOTSMEN, w0, "x".repeat(201)),
                scotsmen(w0, "x".repeat(201), 1));
        hostile(
                "group field name 'a,b' contains a comma",
                sensors,
                key(sensors, w0, "s9"),
                TestResults.value(sensors, w0, WINDOW, fields("a,b", "s9", "max", 1), w0));
        hostile(
                "value is longer than 100000 characters",
                SCOTSMEN,
                key(SCOTSMEN, w0, "Faro"),
                TestResults.value(
                        SCOTSMEN,
                        w0,
                        WINDOW,
                        fields("district", "Faro", "total_new_scotsmen", 1, "padding", "x".repeat(100_000)),
                        w0));
        good(
                sensors,
                key(sensors, w0, "s1"),
                TestResults.value(sensors, w0, WINDOW, fields("sensor", "s1", "max", 4.5), w0));
        // Valid to the consumer, refused by the database: alone, it is set aside; the records around it are stored.
        hostile(
                "the database refused it: ",
                SCOTSMEN,
                key(SCOTSMEN, w0, REFUSED_BY_DATABASE),
                scotsmen(w0, REFUSED_BY_DATABASE, 1));
        good(SCOTSMEN, key(SCOTSMEN, w0, "Atlantis"), scotsmen(w0, "Atlantis", 3));
        String hugeDeadLetter = "{\"source_topic\":\"" + "t".repeat(10_000)
                + "\",\"partition\":0,\"offset\":1,\"raw\":\""
                + "r".repeat(5_000) + "\",\"raw_bytes\":5000,\"raw_truncated\":false,\"error\":\"" + "e".repeat(100_000)
                + "\",\"seen_at\":\"2031-01-01T00:00:00Z\"}";
        TestKafka.sendBytes(producer, Topics.DEAD_LETTERS, null, bytes(hugeDeadLetter));
        TestKafka.sendBytes(producer, Topics.DEAD_LETTERS, null, new byte[] {0x7B, 0x7B});
        // The last good record, sent after every hostile one: it arrives only if nothing stopped the consumer.
        good(SCOTSMEN, key(SCOTSMEN, w0, "Braga"), scotsmen(w0, "Braga", 11));

        String scotsmenDay = "/api/results/" + SCOTSMEN + "?from=" + w0 + "&to=" + w0.plus(Duration.ofDays(1));
        // The sensors topic is new: the consumer finds it on its next metadata refresh, after Braga perhaps. Nor does
        // Kafka order the dead-letters topic against the results topics, so its two records are awaited on their own.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(totals(http.json(scotsmenDay))).containsKey("Braga@" + w0);
            assertThat(http.get("/api/results/" + sensors).statusCode()).isEqualTo(200);
            assertThat(problems()
                                    .get("malformed_results")
                                    .get("count_since_start")
                                    .asLong()
                            - malformedBefore)
                    .isEqualTo(expectedErrors.size());
            assertThat(problems().get("dead_letters").get("count_since_start").asLong() - deadLettersBefore)
                    .isEqualTo(2);
        });

        assertThat(totals(http.json(scotsmenDay)))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "Lisboa@" + w0,
                        5,
                        "Porto@" + w0,
                        7,
                        "Lisboa@" + w1,
                        9,
                        "Atlantis@" + w0,
                        3,
                        "Braga@" + w0,
                        11));
        assertThat(http.json("/api/results/" + sensors).get("results"))
                .singleElement()
                .satisfies(r -> assertThat(r.get("max").asDouble()).isEqualTo(4.5));
        // Every row was written by exactly the one record that owns it.
        assertThat(applyCounts(w0))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        key(SCOTSMEN, w0, "Lisboa"),
                        1L,
                        key(SCOTSMEN, w0, "Porto"),
                        1L,
                        key(SCOTSMEN, w1, "Lisboa"),
                        1L,
                        key(SCOTSMEN, w0, "Atlantis"),
                        1L,
                        key(SCOTSMEN, w0, "Braga"),
                        1L));
        assertThat(http.get("/api/results/" + longPipeline).statusCode()).isEqualTo(404);

        JsonNode problems = problems();
        assertThat(problems.get("dead_letters").get("count_since_start").asLong() - deadLettersBefore)
                .isEqualTo(2);
        Map<String, String> errors = new HashMap<>();
        problems.get("malformed_results")
                .get("recent")
                .forEach(p -> errors.put(
                        p.get("source_topic").asText() + "@" + p.get("offset").asLong(),
                        p.get("error").asText()));
        expectedErrors.forEach((position, error) ->
                assertThat(errors.get(position)).as(position).startsWith(error));

        JsonNode huge = problems.get("dead_letters")
                .get("recent")
                .get(problems.get("dead_letters").get("recent").size() - 2);
        assertThat(huge.get("source_topic").asText()).hasSize(249);
        assertThat(huge.get("error").asText()).hasSize(1_000);
        assertThat(huge.get("raw").asText()).hasSize(1_000);
        assertThat(huge.get("raw_truncated").asBoolean()).isTrue();
        assertThat(huge.get("raw_bytes").asLong()).isEqualTo(5_000);

        String metrics = http.get("/metrics").body();
        assertThat(metrics)
                .contains("results_consumer_dead_letters_total{source_topic=\"other\"}")
                .doesNotContain("ttttt")
                .doesNotContain("Atlantis")
                .doesNotContain(REFUSED_BY_DATABASE)
                .contains("results_consumer_district_latest{district=\"Braga\",metric=\"total_new_scotsmen\","
                        + "pipeline=\"scotsmen_per_district\"} 11.0");
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
    }

    private void good(String pipeline, String key, String value) {
        TestKafka.sendBytes(producer, Topics.results(pipeline), bytes(key), bytes(value));
    }

    private void hostile(String error, String pipeline, String key, String value) {
        hostileBytes(error, pipeline, key, bytes(value));
    }

    private void hostileBytes(String error, String pipeline, String key, byte[] value) {
        RecordMetadata sent = TestKafka.sendBytes(producer, Topics.results(pipeline), bytes(key), value);
        expectedErrors.put(sent.topic() + "@" + sent.offset(), error);
    }

    private JsonNode problems() {
        return http.json("/api/problems");
    }

    private Map<String, Long> applyCounts(Instant day) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> env = database();
        try (Connection connection = DriverManager.getConnection(
                        env.get("RESULTS_DB_URL"),
                        env.getOrDefault("RESULTS_DB_USER", "sa"),
                        env.getOrDefault("RESULTS_DB_PASSWORD", ""));
                PreparedStatement select = connection.prepareStatement("SELECT result_key, apply_count FROM results "
                        + "WHERE pipeline = ? AND window_start >= ? AND window_start < ?")) {
            select.setString(1, SCOTSMEN);
            select.setObject(2, day.atOffset(ZoneOffset.UTC));
            select.setObject(3, day.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    private static void execute(Map<String, String> env, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        env.get("RESULTS_DB_URL"),
                        env.getOrDefault("RESULTS_DB_USER", "sa"),
                        env.getOrDefault("RESULTS_DB_PASSWORD", ""));
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Map<String, Integer> totals(JsonNode page) {
        Map<String, Integer> totals = new HashMap<>();
        page.get("results")
                .forEach(r -> totals.put(
                        r.get("district").asText() + "@" + r.get("window_start").asText(),
                        r.get("total_new_scotsmen").asInt()));
        return totals;
    }

    private static String scotsmen(Instant window, String district, int total) {
        return TestResults.scotsmen(window, district, total, window);
    }

    private static String key(String pipeline, Instant window, String... groups) {
        return TestResults.key(pipeline, window, List.of(groups));
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
