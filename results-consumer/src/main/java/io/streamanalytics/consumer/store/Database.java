package io.streamanalytics.consumer.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.streamanalytics.consumer.ConsumerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.sql.DataSource;

/** The connection pool for the results database (H2 or PostgreSQL, one SQL dialect for both). */
public final class Database {

    private Database() {
    }

    /** Opens the pool and brings the schema up to date; the caller closes the pool. */
    public static HikariDataSource open(ConsumerConfig config) {
        if (config.isH2File()) {
            try {
                Files.createDirectories(config.h2Directory());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the database directory " + config.h2Directory(), e);
            }
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("results-db");
        hikari.setJdbcUrl(config.dbUrl());
        hikari.setUsername(config.dbUser());
        hikari.setPassword(config.dbPassword());
        hikari.setMaximumPoolSize(config.dbPoolSize());
        hikari.setAutoCommit(true);
        // Fail start-up within the configured time rather than Hikari's own 30 s when the database is down.
        hikari.setInitializationFailTimeout(config.startTimeout().toMillis());
        hikari.setConnectionTimeout(Math.min(config.startTimeout().toMillis(), 30_000));
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            SchemaMigrations.migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /** For tests and tools that bring their own data source. */
    public static void migrate(DataSource dataSource) {
        SchemaMigrations.migrate(dataSource);
    }
}
