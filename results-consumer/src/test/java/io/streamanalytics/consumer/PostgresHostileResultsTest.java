package io.streamanalytics.consumer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The hostile records against a real PostgreSQL 15, the compose default, which refuses what H2 takes (NUL). */
class PostgresHostileResultsTest extends HostileResultsContractTest {

    private EmbeddedPostgres postgres;

    @Override
    Map<String, String> database() throws IOException {
        if (postgres == null) {
            postgres = EmbeddedPostgres.start();
        }
        return Map.of(
                "RESULTS_DB_URL",
                postgres.getJdbcUrl("postgres", "postgres"),
                "RESULTS_DB_USER",
                "postgres",
                "RESULTS_DB_PASSWORD",
                "");
    }

    @AfterAll
    void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
