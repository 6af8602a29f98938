package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dashboards and alerts ask only for what exists: every metric name in a Grafana panel's or an alerting rule's
 * PromQL is exposed by the running
 * services, and every SQL panel runs on the results-consumer's real PostgreSQL schema, as Grafana's read-only role.
 */
abstract class DashboardMetricsChecks {

    /** Series Prometheus makes itself rather than scraping them. */
    private static final Set<String> PROMETHEUS_SYNTHETIC =
            Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS");

    @Test
    void shouldExposeEveryMetricTheDashboardsAndAlertsQuery(RunningServices services) {
        Map<String, Set<String>> wantedBy = new TreeMap<>();
        List<String> expressions = new ArrayList<>(ComposeProject.promQlExpressions());
        expressions.addAll(ComposeProject.alertExpressions().values());
        for (String expression : expressions) {
            PromQl.metricNames(expression)
                    .forEach(name ->
                            wantedBy.computeIfAbsent(name, n -> new TreeSet<>()).add(expression));
        }
        PROMETHEUS_SYNTHETIC.forEach(wantedBy::remove);
        assertThat(wantedBy).hasSizeGreaterThan(20);
        assertThat(services.notStarted())
                .as("services that could not be started, so their metrics are unchecked")
                .isEmpty();

        // Most meters appear only once data has flowed end to end (a micro-batch with a watermark, a dead letter,
        // a materialised result): wait for it, bounded.
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(3))
                .untilAsserted(() -> {
                    services.assertAlive();
                    Set<String> exposed = new TreeSet<>();
                    for (String service : ComposeProject.SERVICES) {
                        exposed.addAll(services.exposedNames(service));
                    }
                    Map<String, Set<String>> missing = new TreeMap<>(wantedBy);
                    missing.keySet().removeAll(exposed);
                    assertThat(missing)
                            .as(
                                    "metric names used by dashboard panels (with their expressions) that no service exposes")
                            .isEmpty();
                });
    }

    @Test
    void shouldRunEveryDashboardSqlQueryOnTheResultsDatabase(RunningServices services) throws SQLException {
        Map<String, String> queries = ComposeProject.sqlQueries();
        assertThat(queries).hasSizeGreaterThan(5);
        // The consumer creates its schema at start and materialises results as the analytics emits them.
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(3))
                .untilAsserted(() -> {
                    services.assertAlive();
                    for (String pipeline : RunningServices.RUNNING_PIPELINES) {
                        assertThat(count("SELECT COUNT(*) FROM results WHERE pipeline = '" + pipeline + "'", services))
                                .as("rows of " + pipeline)
                                .isPositive();
                    }
                });
        Map<String, Integer> rowsByPanel = new LinkedHashMap<>();
        try (Connection connection = services.grafanaConnection();
                Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> query : queries.entrySet()) {
                String sql = grafanaMacros(query.getValue());
                int rows = 0;
                try (ResultSet rs = statement.executeQuery(sql)) {
                    while (rs.next()) {
                        rows++;
                    }
                } catch (SQLException e) {
                    throw new AssertionError(
                            "panel " + query.getKey() + " fails on PostgreSQL: " + e.getMessage() + "\n" + sql, e);
                }
                rowsByPanel.put(query.getKey(), rows);
            }
        }
        // The panels of the pipelines that ran in this test show their data.
        assertThat(rowsByPanel)
                .hasEntrySatisfying(
                        "Impressions and clicks per minute / A",
                        rows -> assertThat(rows).isPositive())
                .hasEntrySatisfying(
                        "Click-through rate per minute / A",
                        rows -> assertThat(rows).isPositive())
                .hasEntrySatisfying(
                        "New scotsmen per district / A",
                        rows -> assertThat(rows).isPositive());
    }

    @Test
    void shouldLetGrafanasRoleReadTheResultsButChangeNothing(RunningServices services) throws SQLException {
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(3))
                .untilAsserted(() -> {
                    services.assertAlive();
                    assertThat(count("SELECT COUNT(*) FROM results", services)).isPositive();
                });
        try (Connection connection = services.grafanaConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM results")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isPositive();
            }
            for (String write : List.of(
                    "DELETE FROM results",
                    "UPDATE results SET payload = payload",
                    "CREATE TABLE grafana_was_here (id int)")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute(write))
                        .as(write)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("cannot execute")
                        .hasMessageContaining("in a read-only transaction");
            }
            // Read-only is only the role's default: without it the grants alone still refuse any change.
            statement.execute("SET default_transaction_read_only = off");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute("DELETE FROM results"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied for table results");
        }
    }

    /** Grafana's PostgreSQL macros, expanded as Grafana does for a time range (here the last day). */
    static String grafanaMacros(String sql) {
        return sql.replaceAll(
                "\\$__timeFilter\\(([^)]+)\\)", "$1 BETWEEN now() - interval '1 day' AND now() + interval '1 day'");
    }

    private static long count(String sql, RunningServices services) throws SQLException {
        try (Connection connection = services.database().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            // Before the consumer has created the schema.
            if (e.getMessage().contains("does not exist")) {
                return 0;
            }
            throw e;
        }
    }
}
