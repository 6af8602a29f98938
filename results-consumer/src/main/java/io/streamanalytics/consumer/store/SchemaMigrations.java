package io.streamanalytics.consumer.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema changes, applied in order at start and recorded in {@code schema_version}. Plain SQL that both
 * H2 and PostgreSQL accept; a later change is a new entry at the end of {@link #MIGRATIONS}, never an edit.
 */
final class SchemaMigrations {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    /** How many group fields a pipeline may have; each is a column with its own index. */
    static final int GROUP_COLUMNS = 4;

    record Migration(int version, String description, List<String> statements) {}

    static final List<Migration> MIGRATIONS = List.of(new Migration(
            1,
            "results, pipelines and consumer offsets",
            List.of(
                    """
                    CREATE TABLE pipelines (
                      pipeline VARCHAR(200) PRIMARY KEY,
                      group_fields VARCHAR(1000) NOT NULL
                    )""",
                    """
                    CREATE TABLE results (
                      result_key VARCHAR(1000) PRIMARY KEY,
                      pipeline VARCHAR(200) NOT NULL,
                      window_start TIMESTAMP WITH TIME ZONE NOT NULL,
                      window_end TIMESTAMP WITH TIME ZONE,
                      group_key VARCHAR(1000) NOT NULL,
                      group_1 VARCHAR(200),
                      group_2 VARCHAR(200),
                      group_3 VARCHAR(200),
                      group_4 VARCHAR(200),
                      payload VARCHAR(100000) NOT NULL,
                      emitted_at TIMESTAMP WITH TIME ZONE,
                      source_partition INT NOT NULL,
                      source_offset BIGINT NOT NULL,
                      apply_count BIGINT NOT NULL,
                      updated_at TIMESTAMP WITH TIME ZONE NOT NULL
                    )""",
                    // Each ends in the query's sort order (window_start, group_key), so a page is read off the
                    // index backwards instead of sorting every matching row first.
                    "CREATE INDEX results_by_window ON results (pipeline, window_start, group_key)",
                    "CREATE INDEX results_by_group ON results (pipeline, group_key, window_start)",
                    "CREATE INDEX results_by_group_1 ON results (pipeline, group_1, window_start, group_key)",
                    """
                    CREATE TABLE consumer_offsets (
                      topic VARCHAR(255) NOT NULL,
                      partition_id INT NOT NULL,
                      next_offset BIGINT NOT NULL,
                      updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      PRIMARY KEY (topic, partition_id)
                    )""")));

    private SchemaMigrations() {}

    static void migrate(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS schema_version (
                          version INT PRIMARY KEY,
                          description VARCHAR(200) NOT NULL,
                          applied_at TIMESTAMP WITH TIME ZONE NOT NULL
                        )""");
            }
            int current = currentVersion(connection);
            for (Migration migration : MIGRATIONS) {
                if (migration.version() > current) {
                    apply(connection, migration);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot migrate the results database schema", e);
        }
    }

    private static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void apply(Connection connection, Migration migration) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                for (String sql : migration.statements()) {
                    statement.execute(sql);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                insert.setInt(1, migration.version());
                insert.setString(2, migration.description());
                insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                insert.executeUpdate();
            }
            connection.commit();
            log.info(
                    "Results database schema migrated to version {} ({})",
                    migration.version(),
                    migration.description());
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
