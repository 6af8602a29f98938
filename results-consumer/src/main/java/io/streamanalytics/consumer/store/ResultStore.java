package io.streamanalytics.consumer.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;

/**
 * The results database: applies a batch of results together with the Kafka offsets that follow it in one
 * transaction (so a crash anywhere either keeps both or neither), and answers the REST API's queries. Every
 * statement is standard SQL that H2 and PostgreSQL both run, upserts included ({@code MERGE ... USING}).
 *
 * <p>Writes and reads use separate connection pools, so however many API requests wait for the database, the
 * materialiser's connections are never among the ones they hold.
 */
public final class ResultStore {

    /** The range of time stamps H2 and PostgreSQL both store (PostgreSQL's ends in 294276 AD) and the API accepts. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private static final String UPSERT_RESULT = Merge.statement(
            "results",
            List.of(new Merge.Column("result_key", "VARCHAR")),
            List.of(
                    new Merge.Column("pipeline", "VARCHAR"),
                    new Merge.Column("window_start", "TIMESTAMP WITH TIME ZONE"),
                    new Merge.Column("window_end", "TIMESTAMP WITH TIME ZONE"),
                    new Merge.Column("group_key", "VARCHAR"),
                    new Merge.Column("group_1", "VARCHAR"),
                    new Merge.Column("group_2", "VARCHAR"),
                    new Merge.Column("group_3", "VARCHAR"),
                    new Merge.Column("group_4", "VARCHAR"),
                    new Merge.Column("payload", "VARCHAR"),
                    new Merge.Column("emitted_at", "TIMESTAMP WITH TIME ZONE"),
                    new Merge.Column("source_partition", "INT"),
                    new Merge.Column("source_offset", "BIGINT"),
                    new Merge.Column("updated_at", "TIMESTAMP WITH TIME ZONE")),
            // How many records were applied to this row: the proof that none is applied twice.
            new Merge.Counter("apply_count"));

    private static final String UPSERT_OFFSET = Merge.statement(
            "consumer_offsets",
            List.of(new Merge.Column("topic", "VARCHAR"), new Merge.Column("partition_id", "INT")),
            List.of(
                    new Merge.Column("next_offset", "BIGINT"),
                    new Merge.Column("updated_at", "TIMESTAMP WITH TIME ZONE")),
            null);

    private static final String UPSERT_PIPELINE = Merge.statement(
            "pipelines",
            List.of(new Merge.Column("pipeline", "VARCHAR")),
            List.of(new Merge.Column("group_fields", "VARCHAR")),
            null);

    private final DataSource writer;
    private final DataSource reader;
    private final PipelineCatalog catalog;

    /**
     * @param writer the materialiser's pool: offsets, the catalogue and every write
     * @param reader the pool of the REST API's queries
     */
    public ResultStore(DataSource writer, DataSource reader, PipelineCatalog catalog) {
        this.writer = writer;
        this.reader = reader;
        this.catalog = catalog;
    }

    /** One pool for everything, for tests and tools. */
    public ResultStore(DataSource dataSource, PipelineCatalog catalog) {
        this(dataSource, dataSource, catalog);
    }

    /** Loads the group fields of pipelines seen before into the catalogue. */
    public void restoreCatalog() {
        try (Connection connection = writer.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pipeline, group_fields FROM pipelines")) {
            while (rs.next()) {
                String fields = rs.getString(2);
                catalog.restore(rs.getString(1), fields.isEmpty() ? List.of() : List.of(fields.split(",")));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the pipelines table", e);
        }
    }

    /** The offsets to resume from, for those of the partitions that have any stored. */
    public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (Connection connection = writer.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT next_offset FROM consumer_offsets WHERE topic = ? AND partition_id = ?")) {
            for (TopicPartition partition : partitions) {
                select.setString(1, partition.topic());
                select.setInt(2, partition.partition());
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        offsets.put(partition, rs.getLong(1));
                    }
                }
            }
            return offsets;
        } catch (SQLException e) {
            throw new StoreException("cannot read stored offsets for " + partitions, e);
        }
    }

    /**
     * Upserts the results (in order: a later record for a key wins) and stores the next offsets, atomically.
     *
     * @param nextOffsets for every partition the batch read from, the offset of the record after the batch
     */
    public void apply(List<ResultRecord> results, Map<TopicPartition, Long> nextOffsets) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // The pool resets auto-commit when the connection goes back.
        try (Connection connection = writer.getConnection()) {
            connection.setAutoCommit(false);
            try {
                upsertPipelines(connection, results);
                upsertResults(connection, results, now);
                upsertOffsets(connection, nextOffsets, now);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                // On a broken connection the rollback fails too ("Connection is closed", no SQLSTATE); the first
                // error is the one that says what happened, and whether it is transient.
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot apply " + results.size() + " results with offsets " + nextOffsets, e);
        }
    }

    private void upsertPipelines(Connection connection, List<ResultRecord> results) throws SQLException {
        Map<String, List<String>> touched = new LinkedHashMap<>();
        results.forEach(r ->
                touched.putIfAbsent(r.pipeline(), new ArrayList<>(r.groups().keySet())));
        try (PreparedStatement merge = connection.prepareStatement(UPSERT_PIPELINE)) {
            for (Map.Entry<String, List<String>> pipeline : touched.entrySet()) {
                merge.setString(1, pipeline.getKey());
                merge.setString(
                        2,
                        String.join(",", catalog.groupFields(pipeline.getKey()).orElse(pipeline.getValue())));
                merge.addBatch();
            }
            merge.executeBatch();
        }
    }

    private static void upsertResults(Connection connection, List<ResultRecord> results, OffsetDateTime now)
            throws SQLException {
        try (PreparedStatement merge = connection.prepareStatement(UPSERT_RESULT)) {
            for (ResultRecord r : results) {
                int i = 1;
                merge.setString(i++, r.key());
                merge.setString(i++, r.pipeline());
                merge.setObject(i++, utc(r.windowStart()));
                merge.setObject(i++, utc(r.windowEnd()));
                merge.setString(i++, r.groupKey());
                List<String> groupValues = new ArrayList<>(r.groups().values());
                for (int g = 0; g < SchemaMigrations.GROUP_COLUMNS; g++) {
                    merge.setString(i++, g < groupValues.size() ? groupValues.get(g) : null);
                }
                merge.setString(i++, r.payload());
                merge.setObject(i++, utc(r.emittedAt()));
                merge.setInt(i++, r.source().partition());
                merge.setLong(i++, r.source().offset());
                merge.setObject(i, now);
                merge.addBatch();
            }
            merge.executeBatch();
        }
    }

    private static void upsertOffsets(Connection connection, Map<TopicPartition, Long> nextOffsets, OffsetDateTime now)
            throws SQLException {
        try (PreparedStatement merge = connection.prepareStatement(UPSERT_OFFSET)) {
            for (Map.Entry<TopicPartition, Long> offset : nextOffsets.entrySet()) {
                merge.setString(1, offset.getKey().topic());
                merge.setInt(2, offset.getKey().partition());
                merge.setLong(3, offset.getValue());
                merge.setObject(4, now);
                merge.addBatch();
            }
            merge.executeBatch();
        }
    }

    /** Every pipeline with stored rows or in the catalogue (catalogue order first), with row count and last update. */
    public List<PipelineSummary> pipelines() {
        Map<String, PipelineSummary> byName = new LinkedHashMap<>();
        catalog.names().forEach(name -> byName.put(name, new PipelineSummary(name, 0, null)));
        try (Connection connection = reader.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT pipeline, COUNT(*), MAX(updated_at) FROM results GROUP BY pipeline ORDER BY pipeline")) {
            while (rs.next()) {
                OffsetDateTime last = rs.getObject(3, OffsetDateTime.class);
                // A pipeline seen in the database but not (yet) in the catalogue memory goes last.
                byName.put(
                        rs.getString(1),
                        new PipelineSummary(rs.getString(1), rs.getLong(2), last == null ? null : last.toInstant()));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count results per pipeline", e);
        }
        return List.copyOf(byName.values());
    }

    /** The stored values (JSON objects) matching the query, newest window first, then by group values descending. */
    public QueryPage results(ResultQuery query) {
        List<String> groupFields = catalog.groupFields(query.pipeline()).orElse(List.of());
        StringBuilder sql = new StringBuilder("SELECT payload FROM results WHERE pipeline = ?");
        List<Object> params = new ArrayList<>();
        params.add(query.pipeline());
        if (query.from() != null) {
            sql.append(" AND window_start >= ?");
            params.add(utc(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND window_start < ?");
            params.add(utc(query.to()));
        }
        for (Map.Entry<String, String> filter : query.groupFilters().entrySet()) {
            int column = groupFields.indexOf(filter.getKey());
            if (column < 0) {
                throw new IllegalArgumentException(
                        "pipeline " + query.pipeline() + " has no group field " + filter.getKey());
            }
            sql.append(" AND group_").append(column + 1).append(" = ?");
            params.add(filter.getValue());
        }
        sql.append(" ORDER BY window_start DESC, group_key DESC FETCH FIRST ? ROWS ONLY");
        // One row more than asked tells whether the page is complete.
        params.add(query.limit() + 1);
        return page(sql.toString(), params, query.limit());
    }

    /** For each group, the value of its latest window. */
    public QueryPage latest(String pipeline, int limit) {
        String sql = """
                SELECT r.payload FROM results r
                JOIN (SELECT group_key, MAX(window_start) AS latest FROM results WHERE pipeline = ? GROUP BY group_key) m
                  ON r.group_key = m.group_key AND r.window_start = m.latest
                WHERE r.pipeline = ?
                ORDER BY r.group_key FETCH FIRST ? ROWS ONLY""";
        return page(sql, List.of(pipeline, pipeline, limit + 1), limit);
    }

    private QueryPage page(String sql, List<Object> params, int limit) {
        List<String> rows = rows(sql, params);
        boolean truncated = rows.size() > limit;
        return new QueryPage(truncated ? rows.subList(0, limit) : rows, truncated);
    }

    private List<String> rows(String sql, List<Object> params) {
        try (Connection connection = reader.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("query failed: " + sql.lines().findFirst().orElse(sql), e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A pipeline, how many results it has stored and when the last one was written (null if none). */
    public record PipelineSummary(String pipeline, long rowCount, Instant lastUpdate) {}

    /** Stored result values (JSON objects) and whether more matched than the limit allowed. */
    public record QueryPage(List<String> payloads, boolean truncated) {}
}
