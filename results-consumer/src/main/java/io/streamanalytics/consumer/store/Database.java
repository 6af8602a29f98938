package io.streamanalytics.consumer.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The connection pools of the results database (H2 or PostgreSQL, one SQL dialect for both): one for the
 * materialiser, one for the HTTP readers, so API load can take every reader connection and ingestion still has
 * its own.
 */
public final class Database {

    /** The poll loop uses one connection at a time; the second covers a rebalance while one is being replaced. */
    static final int WRITER_POOL_SIZE = 2;
    /**
     * How long the writer waits for a connection: a database that is away is noticed, and retried, within this
     * (Hikari's own 30 s would make every attempt that long).
     */
    static final Duration WRITER_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** An API request that finds every reader connection busy waits this long, then answers 503. */
    static final Duration READER_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private Database() {}

    /**
     * What the pools need of the service's configuration (the consumer's {@code ResultsConsumerConfig#database()}).
     *
     * @param url            JDBC URL of H2 or PostgreSQL
     * @param password       never logged
     * @param readerPoolSize connections of the HTTP readers (the writer has its own)
     * @param startTimeout   how long start-up may wait for the database
     */
    public record Settings(String url, String user, String password, int readerPoolSize, Duration startTimeout) {

        /** Whether the default embedded database is used, which needs its directory to exist. */
        public boolean isH2File() {
            return url.startsWith("jdbc:h2:file:");
        }

        /** The directory of an H2 file database, such as {@code ./data} for the default. */
        public Path h2Directory() {
            String path = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
            Path parent = Path.of(path).toAbsolutePath().getParent();
            return parent == null ? Path.of(".").toAbsolutePath() : parent;
        }

        /** Neither the password nor the URL, which may carry credentials as parameters ({@code password=...}). */
        @Override
        public String toString() {
            return "Database.Settings[user=" + user + ", readerPoolSize=" + readerPoolSize + ", startTimeout="
                    + startTimeout + "]";
        }
    }

    /** Opens the writer's pool and brings the schema up to date; the caller closes the pool. */
    public static HikariDataSource openWriter(Settings config) {
        if (config.isH2File()) {
            try {
                Files.createDirectories(config.h2Directory());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the database directory " + config.h2Directory(), e);
            }
        }
        HikariDataSource dataSource = pool(config, "results-db-writer", WRITER_POOL_SIZE, WRITER_CONNECTION_TIMEOUT);
        try {
            SchemaMigrations.migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /** Opens the HTTP readers' pool of {@link Settings#readerPoolSize()} connections; the caller closes it. */
    public static HikariDataSource openReader(Settings config) {
        return pool(config, "results-db-reader", config.readerPoolSize(), READER_CONNECTION_TIMEOUT);
    }

    /** For tests and tools that bring their own data source. */
    public static void migrate(DataSource dataSource) {
        SchemaMigrations.migrate(dataSource);
    }

    /**
     * The URL to connect with. An H2 file database gets {@code WRITE_DELAY=0} unless the URL sets it: H2's
     * background writer stores each table's map of a commit separately (h2database/h2database#2080), so a process
     * killed while it writes could leave a result row on disk without the offset committed with it; with no delay
     * the committing thread stores the whole commit itself.
     */
    static String jdbcUrl(String url) {
        boolean h2File = url.startsWith("jdbc:h2:file:");
        return h2File && !url.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=") ? url + ";WRITE_DELAY=0" : url;
    }

    private static HikariDataSource pool(Settings config, String name, int size, Duration connectionTimeout) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(jdbcUrl(config.url()));
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(size);
        hikari.setAutoCommit(true);
        // Fail start-up within the configured time rather than Hikari's own 30 s when the database is down.
        hikari.setInitializationFailTimeout(config.startTimeout().toMillis());
        hikari.setConnectionTimeout(Math.min(config.startTimeout().toMillis(), connectionTimeout.toMillis()));
        return new HikariDataSource(hikari);
    }
}
