package io.streamanalytics.consumer.store;

import static io.streamanalytics.consumer.TestResults.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamanalytics.consumer.TestResults;
import io.streamanalytics.consumer.ingest.MalformedResultException;
import io.streamanalytics.consumer.ingest.ResultParser;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository's behaviour, run against each database it supports (H2 and a real PostgreSQL) by the
 * subclasses, so one SQL really does run on both.
 */
abstract class ResultStoreContractTest {

    static final String SCOTSMEN = "scotsmen_per_district";
    static final String TOPIC = "results." + SCOTSMEN;
    static final Instant T0 = Instant.parse("2024-12-03T10:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(3);

    private PipelineCatalog catalog;
    private ResultParser parser;
    private ResultStore store;
    private long nextOffset;

    /** A data source on an empty database. */
    abstract DataSource emptyDatabase() throws SQLException;

    @BeforeEach
    void setUp() throws SQLException {
        DataSource dataSource = emptyDatabase();
        Database.migrate(dataSource);
        catalog = new PipelineCatalog();
        parser = new ResultParser(catalog);
        store = new ResultStore(dataSource, catalog);
        nextOffset = 0;
        this.dataSource = dataSource;
    }

    private DataSource dataSource;

    @Test
    void shouldKeepTheLatestValuePerKeyAndCountEveryApplication() {
        store.apply(
                List.of(scotsmen("Lisboa", T0, 5), scotsmen("Porto", T0, 2), scotsmen("Lisboa", T0, 7)),
                Map.of(new TopicPartition(TOPIC, 0), 3L));
        store.apply(List.of(scotsmen("Lisboa", T0, 9)), Map.of(new TopicPartition(TOPIC, 0), 4L));

        assertThat(column("SELECT group_1 || '=' || apply_count FROM results ORDER BY group_1"))
                .containsExactly("Lisboa=3", "Porto=1");
        assertThat(store.results(query(Map.of("district", "Lisboa"))).payloads())
                .singleElement()
                .asString()
                .contains("\"total_new_scotsmen\":9");
        assertThat(store.storedOffsets(List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1))))
                .isEqualTo(Map.of(new TopicPartition(TOPIC, 0), 4L));
    }

    @Test
    void shouldStoreNeitherRowsNorOffsetsWhenTheTransactionFails() {
        store.apply(List.of(scotsmen("Lisboa", T0, 5)), Map.of(new TopicPartition(TOPIC, 0), 1L));
        // A group value longer than its column: the database refuses the second row of the batch.
        ResultRecord tooLong = new ResultRecord(
                "bad-key",
                SCOTSMEN,
                T0,
                null,
                Map.of("district", "x".repeat(300)),
                Map.of(),
                "{}",
                null,
                new SourcePosition(TOPIC, 0, 2));

        assertThatThrownBy(() -> store.apply(
                        List.of(scotsmen("Porto", T0, 1), tooLong), Map.of(new TopicPartition(TOPIC, 0), 3L)))
                .isInstanceOf(StoreException.class);

        assertThat(column("SELECT group_1 FROM results")).containsExactly("Lisboa");
        assertThat(store.storedOffsets(List.of(new TopicPartition(TOPIC, 0))))
                .containsEntry(new TopicPartition(TOPIC, 0), 1L);
    }

    @Test
    void shouldFilterByTimeRangeAndGroupFieldNewestFirstWithinTheLimit() {
        List<ResultRecord> batch = new ArrayList<>();
        for (int window = 0; window < 4; window++) {
            batch.add(scotsmen("Lisboa", T0.plus(WINDOW.multipliedBy(window)), window));
            batch.add(scotsmen("Porto", T0.plus(WINDOW.multipliedBy(window)), 10 + window));
        }
        store.apply(batch, Map.of(new TopicPartition(TOPIC, 0), (long) batch.size()));

        ResultStore.QueryPage lisboaMiddle = store.results(new ResultQuery(
                SCOTSMEN, T0.plus(WINDOW), T0.plus(WINDOW.multipliedBy(3)), Map.of("district", "Lisboa"), 10));
        assertThat(lisboaMiddle.payloads()).hasSize(2);
        assertThat(lisboaMiddle.payloads().get(0)).contains("\"window_start\":\"2024-12-03T10:06:00Z\"");
        assertThat(lisboaMiddle.payloads().get(1)).contains("\"window_start\":\"2024-12-03T10:03:00Z\"");
        assertThat(lisboaMiddle.truncated()).isFalse();

        ResultStore.QueryPage limited = store.results(new ResultQuery(SCOTSMEN, null, null, Map.of(), 3));
        assertThat(limited.payloads()).hasSize(3);
        assertThat(limited.truncated()).isTrue();
        assertThat(limited.payloads().get(0)).contains("\"district\":\"Porto\"", "10:09:00Z");
        assertThat(limited.payloads().get(1)).contains("\"district\":\"Lisboa\"", "10:09:00Z");
    }

    @Test
    void shouldReturnTheLatestWindowOfEachGroup() {
        store.apply(
                List.of(scotsmen("Lisboa", T0, 1), scotsmen("Lisboa", T0.plus(WINDOW), 2), scotsmen("Porto", T0, 3)),
                Map.of(new TopicPartition(TOPIC, 0), 3L));

        List<String> latest = store.latest(SCOTSMEN, 100).payloads();

        assertThat(latest).hasSize(2);
        assertThat(latest.get(0)).contains("\"district\":\"Lisboa\"", "\"total_new_scotsmen\":2");
        assertThat(latest.get(1)).contains("\"district\":\"Porto\"", "\"total_new_scotsmen\":3");
    }

    @Test
    void shouldListPipelinesWithRowCountsAndRememberUncataloguedOnes() throws MalformedResultException {
        ResultRecord unknown = parser.parse(
                new SourcePosition("results.sensor_max", 0, 0),
                TestResults.key("sensor_max", T0, List.of("s1")),
                TestResults.value("sensor_max", T0, WINDOW, fields("sensor", "s1", "max", 4.5), T0)
                        .getBytes(StandardCharsets.UTF_8));
        store.apply(
                List.of(scotsmen("Lisboa", T0, 1), scotsmen("Porto", T0, 2), unknown),
                Map.of(new TopicPartition(TOPIC, 0), 2L, new TopicPartition("results.sensor_max", 0), 1L));

        Map<String, Long> counts = store.pipelines().stream()
                .collect(
                        Collectors.toMap(ResultStore.PipelineSummary::pipeline, ResultStore.PipelineSummary::rowCount));
        assertThat(counts)
                .containsEntry(SCOTSMEN, 2L)
                .containsEntry("sensor_max", 1L)
                .containsEntry("weather_daily", 0L);

        PipelineCatalog restarted = new PipelineCatalog();
        new ResultStore(dataSource, restarted).restoreCatalog();
        assertThat(restarted.groupFields("sensor_max")).contains(List.of("sensor"));
    }

    @Test
    void shouldMigrateOnlyOnce() {
        Database.migrate(dataSource);

        assertThat(column("SELECT version || ':' || description FROM schema_version"))
                .containsExactly("1:results, pipelines and consumer offsets");
    }

    private ResultQuery query(Map<String, String> groups) {
        return new ResultQuery(SCOTSMEN, null, null, groups, 100);
    }

    private ResultRecord scotsmen(String district, Instant windowStart, int total) {
        String value = TestResults.scotsmen(windowStart, district, total, T0);
        try {
            return parser.parse(
                    new SourcePosition(TOPIC, 0, nextOffset++),
                    TestResults.key(SCOTSMEN, windowStart, List.of(district)),
                    value.getBytes(StandardCharsets.UTF_8));
        } catch (MalformedResultException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> column(String sql) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
