package io.streamanalytics.analytics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamanalytics.common.ExitCode;
import io.streamanalytics.common.MetricsServer;
import io.streamanalytics.common.RunningService;
import io.streamanalytics.common.ServiceRunner;
import io.streamanalytics.common.ShutdownHooks;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service, run by {@link ServiceRunner}: read the configuration, serve metrics, start every pipeline and keep
 * each one running ({@link PipelineSupervisor}) until SIGTERM/Ctrl-C (queries stopped, the JVM's own 143). It exits
 * non-zero by itself only when it cannot run at all: bad configuration (2), or no pipeline left that can run, e.g.
 * checkpoints that no longer match (1). Works under {@code java -jar} and {@code spark-submit} alike.
 */
public final class AnalyticsMain {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsMain.class);
    /** Spark's shutdown hooks run at FileSystem.SHUTDOWN_HOOK_PRIORITY + 30; higher runs first. */
    private static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 40;
    /**
     * Through Hadoop's hook manager, at a priority above Spark's own hook (which stops the SparkContext), so the
     * queries stop while Spark still runs. Hadoop runs the hook thread's {@code run()} on a thread of its own.
     */
    private static final ShutdownHooks BEFORE_SPARK = new ShutdownHooks() {
        @Override
        public void add(Thread hook) {
            ShutdownHookManager.get().addShutdownHook(hook, SHUTDOWN_PRIORITY);
        }

        @Override
        public void remove(Thread hook) {
            ShutdownHookManager.get().removeShutdownHook(hook);
        }
    };

    private AnalyticsMain() {}

    public static void main(String[] args) {
        ServiceRunner.exit(new ServiceRunner("stream-analytics", BEFORE_SPARK)
                .run(
                        () -> AnalyticsConfig.fromEnvironment(System.getenv()),
                        AnalyticsConfig::describe,
                        Analytics::start)
                .code());
    }

    /** The running analytics: its metrics server, Spark session and pipelines. */
    private static final class Analytics implements RunningService {
        private final AnalyticsConfig config;
        private final PrometheusMeterRegistry registry;
        private final MetricsServer metrics;
        private final SparkSession spark;
        private final PipelineQueries app;
        /** Set first thing by {@link #stop()}: from then on the supervisor takes an ended query for the stop. */
        private final AtomicBoolean stopping = new AtomicBoolean();

        private Analytics(
                AnalyticsConfig config,
                PrometheusMeterRegistry registry,
                MetricsServer metrics,
                SparkSession spark,
                PipelineQueries app) {
            this.config = config;
            this.registry = registry;
            this.metrics = metrics;
            this.spark = spark;
            this.app = app;
        }

        /** Serves metrics and creates the Spark session; the pipelines start in {@link #awaitEnd()}. */
        static Analytics start(AnalyticsConfig config) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MetricsServer metrics = MetricsServer.start(registry, config.metricsPort());
            SparkSession spark;
            try {
                spark = SparkSessions.create("stream-analytics", config.sparkMaster(), config.shufflePartitions());
            } catch (RuntimeException e) {
                metrics.close();
                throw e;
            }
            PipelineQueries app =
                    new PipelineQueries(config, spark, List.of(new QueryMetrics(registry, Clock.systemUTC())));
            // Healthy only while every selected pipeline's query runs; a restarted pipeline's new query replaces the
            // old.
            metrics.serveHealth(
                    config.pipelines().keySet().stream().map(p -> p.name()).toList(),
                    name -> app.queries().get(name) != null
                            && app.queries().get(name).isActive());
            return new Analytics(config, registry, metrics, spark, app);
        }

        /**
         * Starts the pipelines and supervises them until stopped (OK) or none is left (FAILED). The start waits up to
         * a minute for Kafka, so it is here, after the runner registered its hook: SIGTERM stops that wait too.
         */
        @Override
        public ExitCode awaitEnd() throws InterruptedException {
            try {
                app.start();
                LOG.info(
                        "stream-analytics running {} pipelines; metrics on port {}",
                        app.queries().size(),
                        metrics.port());
                boolean stopped = new PipelineSupervisor(app, config, registry, Clock.systemUTC()).run(stopping::get);
                return stopped ? ExitCode.OK : ExitCode.FAILED;
            } catch (Checkpoints.IncompatibleCheckpointException e) {
                // The message says what to do; a stack trace would only bury it.
                LOG.error("{}", e.getMessage());
                return ExitCode.FAILED;
            }
        }

        @Override
        public void stop() {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            app.stop();
            metrics.close();
            // In a JVM shutdown Spark's own hook stops the session, after this one; otherwise nobody else would.
            if (!ShutdownHookManager.get().isShutdownInProgress()) {
                spark.stop();
            }
        }
    }
}
