package io.streamanalytics.deploy;

import io.streamanalytics.testing.IntegrationTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The compose stack's services running for real (see {@link RunningServices}), checked against what the compose
 * stack asks of them. The nested groups share one set of running services, stopped when this class ends so that
 * nothing of it runs on during other test classes.
 */
@IntegrationTest
@ExtendWith(RunningServices.Extension.class)
class ComposeStackTest {

    /** Every metric a dashboard queries is exposed; every SQL panel runs on PostgreSQL. */
    @Nested
    class DashboardMetrics extends DashboardMetricsChecks {}

    /** A real Prometheus with the repository's config scrapes every service. */
    @Nested
    class PrometheusScrape extends PrometheusScrapeChecks {}

    /** The compose health-check commands pass against the running services. */
    @Nested
    class HealthChecks extends HealthCheckCommandChecks {}
}
