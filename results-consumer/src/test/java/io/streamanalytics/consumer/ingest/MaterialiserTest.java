package io.streamanalytics.consumer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamanalytics.consumer.TestResults;
import io.streamanalytics.consumer.metrics.ConsumerMetrics;
import io.streamanalytics.consumer.store.Database;
import io.streamanalytics.consumer.store.PipelineCatalog;
import io.streamanalytics.consumer.store.ResultStore;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.DeadLetter;
import io.streamanalytics.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poll loop driven by Kafka's own {@link MockConsumer} over a real store on in-memory H2: what reaches the
 * database, with which offsets, and what becomes a problem, without a broker. Every change to the consumer's
 * assignment and every record is handed to the loop as a poll task, so the consumer is touched by the loop's thread
 * only, as in production.
 */
class MaterialiserTest {

    private static final String SCOTSMEN = "scotsmen_per_district";
    private static final TopicPartition RESULTS = new TopicPartition(Topics.results(SCOTSMEN), 0);
    private static final TopicPartition DEAD_LETTERS = new TopicPartition(Topics.DEAD_LETTERS, 0);
    private static final Instant T0 = Instant.parse("2024-12-03T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A district the test's CHECK constraint refuses: valid to the parser, refused by the database. */
    private static final String REFUSED = "Refused by the database";

    private final MockConsumer<String, byte[]> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final List<ResultRecordSummary> applied = Collections.synchronizedList(new ArrayList<>());
    private JdbcDataSource database;
    private ResultStore store;
    private Materialiser materialiser;

    /** What the loop handed on after a commit: the dashboard's live stream gets exactly these. */
    private record ResultRecordSummary(String key, long offset) {}

    @BeforeEach
    void start() throws InterruptedException {
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Database.migrate(database);
        PipelineCatalog catalog = new PipelineCatalog();
        store = new ResultStore(database, catalog);
        materialiser = new Materialiser(
                kafka,
                store,
                new ResultParser(catalog),
                new ConsumerMetrics(new SimpleMeterRegistry()),
                WAIT,
                new Readiness(WAIT, Clock.systemUTC()),
                results -> results.forEach(r ->
                        applied.add(new ResultRecordSummary(r.key(), r.source().offset()))));
        new Thread(materialiser, "materialiser-under-test").start();
        assign();
        materialiser.awaitAssignment(WAIT);
    }

    @AfterEach
    void stop() {
        materialiser.close();
    }

    @Test
    void shouldStoreEachPollsResultsWithTheOffsetAfterItsLastRecord() throws JsonProcessingException {
        poll(result(0, "Lisboa", 5), result(1, "Porto", 7), result(2, "Lisboa", 9));

        awaitStoredOffset(RESULTS, 3);
        assertThat(totals()).isEqualTo(Map.of("Lisboa", 9, "Porto", 7));
        assertThat(applied).extracting(ResultRecordSummary::offset).containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldResumeFromTheStoredOffsetWhenItsPartitionIsAssignedAgain() throws JsonProcessingException {
        poll(result(0, "Lisboa", 5), result(1, "Porto", 7));
        awaitStoredOffset(RESULTS, 2);

        // A rebalance takes the partition away and gives it back; Kafka then serves it from the beginning, but the
        // loop seeks to the offset in the database: the record at 1 is not applied a second time.
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of());
            kafka.rebalance(List.of(RESULTS, DEAD_LETTERS));
            Stream.of(result(1, "Porto", 999), result(2, "Lisboa", 11)).forEach(kafka::addRecord);
        });

        awaitStoredOffset(RESULTS, 3);
        assertThat(totals()).isEqualTo(Map.of("Lisboa", 11, "Porto", 7));
        assertThat(applied).extracting(ResultRecordSummary::offset).containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldSetAsideMalformedAndRefusedRecordsAndStoreTheRestOfTheirPoll() throws Exception {
        execute("ALTER TABLE results ADD CONSTRAINT refused_by_test CHECK (group_1 IS NULL OR group_1 <> '" + REFUSED
                + "')");
        poll(
                result(0, "Lisboa", 5),
                record(RESULTS, 1, key("Porto"), new byte[] {(byte) 0xC3, 0x28}),
                result(2, REFUSED, 1),
                result(3, "Porto", 7),
                record(
                        DEAD_LETTERS,
                        0,
                        null,
                        "{\"source_topic\":\"scotsmen\",\"error\":\"not JSON\"}".getBytes(StandardCharsets.UTF_8)));

        awaitStoredOffset(RESULTS, 4);
        assertThat(store.storedOffsets(List.of(DEAD_LETTERS))).isEqualTo(Map.of(DEAD_LETTERS, 1L));
        assertThat(totals()).isEqualTo(Map.of("Lisboa", 5, "Porto", 7));
        assertThat(materialiser.malformedResults().recent())
                .extracting(DeadLetter::offset)
                .containsExactly(1L, 2L);
        // Not UTF-8: kept as its bytes in base64, not as replacement characters.
        assertThat(materialiser.malformedResults().recent())
                .extracting(DeadLetter::raw, DeadLetter::rawEncoding)
                .first()
                .isEqualTo(tuple("wyg=", DeadLetter.BASE64));
        assertThat(materialiser.malformedResults().recent())
                .extracting(DeadLetter::error)
                .satisfiesExactly(
                        error -> assertThat(error).startsWith("not JSON: "),
                        error -> assertThat(error).startsWith("the database refused it: "));
        assertThat(materialiser.deadLetters().recent())
                .singleElement()
                .satisfies(p -> assertThat(p.sourceTopic()).isEqualTo("scotsmen"));
        assertThat(materialiser.isAlive()).isTrue();
    }

    /** The partitions arrive as Kafka assigns them: inside a poll, through the loop's rebalance listener. */
    private void assign() {
        kafka.schedulePollTask(() -> {
            kafka.updateBeginningOffsets(Map.of(RESULTS, 0L, DEAD_LETTERS, 0L));
            kafka.updateEndOffsets(Map.of(RESULTS, 0L, DEAD_LETTERS, 0L));
            kafka.rebalance(List.of(RESULTS, DEAD_LETTERS));
        });
    }

    /** These records, returned together by one poll. */
    @SafeVarargs
    private void poll(ConsumerRecord<String, byte[]>... records) {
        kafka.schedulePollTask(() -> Stream.of(records).forEach(kafka::addRecord));
    }

    private void awaitStoredOffset(TopicPartition partition, long offset) {
        await().atMost(WAIT)
                .until(() -> store.storedOffsets(List.of(partition)).get(partition), o -> o != null && o == offset);
    }

    private Map<String, Integer> totals() throws JsonProcessingException {
        Map<String, Integer> totals = new TreeMap<>();
        for (String payload : store.latest(SCOTSMEN, 100).payloads()) {
            JsonNode json = Json.MAPPER.readTree(payload);
            totals.put(
                    json.get("district").asText(),
                    json.get("total_new_scotsmen").asInt());
        }
        return totals;
    }

    private static ConsumerRecord<String, byte[]> result(long offset, String district, int total) {
        String value = TestResults.scotsmen(T0, district, total, T0);
        return record(RESULTS, offset, key(district), value.getBytes(StandardCharsets.UTF_8));
    }

    private static String key(String district) {
        return TestResults.key(SCOTSMEN, T0, List.of(district));
    }

    private static ConsumerRecord<String, byte[]> record(
            TopicPartition partition, long offset, String key, byte[] value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, key, value);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
