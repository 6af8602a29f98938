package io.streamanalytics.analytics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamanalytics.common.MetricsServer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's lifecycle: read the configuration, serve metrics, start every pipeline and keep each one running
 * ({@link PipelineSupervisor}) until SIGTERM/Ctrl-C (queries stopped, exit 0). It exits non-zero only when it
 * cannot run at all: bad configuration (2), or no pipeline left that can run, e.g. checkpoints that no longer match
 * (1). Works under {@code java -jar} and {@code spark-submit} alike.
 */
public final class AnalyticsMain {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsMain.class);
    static final int EXIT_CONFIG = 2;
    static final int EXIT_FAILED = 1;
    /** Spark's shutdown hooks run at FileSystem.SHUTDOWN_HOOK_PRIORITY + 30; higher runs first. */
    private static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 40;

    private AnalyticsMain() {
    }

    public static void main(String[] args) {
        AnalyticsConfig config;
        try {
            config = AnalyticsConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            LOG.error("stream-analytics not started: {}", e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        LOG.info("stream-analytics starting with {}", config.describe());
        AtomicBoolean shuttingDown = new AtomicBoolean();
        int exitCode = run(config, shuttingDown);
        // Exiting from inside a running shutdown would block forever; the JVM is on its way out anyway.
        if (!shuttingDown.get()) {
            System.exit(exitCode);
        }
    }

    static int run(AnalyticsConfig config, AtomicBoolean shuttingDown) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsServer metrics = MetricsServer.start(registry, config.metricsPort());
        SparkSession spark = SparkSessions.create("stream-analytics", config.sparkMaster(), config.shufflePartitions());
        AnalyticsApp app = new AnalyticsApp(config, spark, List.of(new QueryMetrics(registry, Clock.systemUTC())));
        // Healthy only while every selected pipeline's query runs; a restarted pipeline's new query replaces the old.
        metrics.serveHealth(config.pipelines().keySet().stream().map(p -> p.name()).toList(),
                name -> app.queries().get(name) != null && app.queries().get(name).isActive());
        // Through Hadoop's hook manager, at a priority above Spark's own hook (which stops the SparkContext), so
        // the queries stop while Spark still runs.
        ShutdownHookManager.get().addShutdownHook(() -> {
            shuttingDown.set(true);
            LOG.info("stream-analytics shutting down");
            app.stop();
            metrics.close();
        }, SHUTDOWN_PRIORITY);
        try {
            app.start();
            LOG.info("stream-analytics running {} pipelines; metrics on port {}", app.queries().size(), metrics.port());
            boolean stopped = new PipelineSupervisor(app, config, registry, Clock.systemUTC()).run(shuttingDown::get);
            if (stopped) {
                return 0;
            }
            app.stop();
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            app.stop();
            return EXIT_FAILED;
        } catch (Checkpoints.IncompatibleCheckpointException e) {
            // The message says what to do; a stack trace would only bury it.
            LOG.error("{}", e.getMessage());
            app.stop();
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            LOG.error("stream-analytics failed: {}", e.getMessage(), e);
            app.stop();
            return EXIT_FAILED;
        } finally {
            if (!shuttingDown.get()) {
                metrics.close();
                spark.stop();
            }
        }
    }
}
