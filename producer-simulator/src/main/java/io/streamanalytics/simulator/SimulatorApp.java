package io.streamanalytics.simulator;

import io.streamanalytics.common.ExitCode;
import io.streamanalytics.common.KafkaTopicAdmin;
import io.streamanalytics.common.MetricsServer;
import io.streamanalytics.common.RunningService;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.config.StreamConfig;
import io.streamanalytics.simulator.send.KafkaRecordSink;
import io.streamanalytics.simulator.send.RecordSink;
import io.streamanalytics.simulator.send.SimulatorMetrics;
import io.streamanalytics.simulator.send.StdoutRecordSink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running simulator as {@link io.streamanalytics.common.ServiceRunner} runs it: serves metrics, creates topics,
 * sends until every finite stream is done or it is stopped (SIGTERM), then flushes so that nothing handed to Kafka
 * is lost, and logs a summary.
 */
public final class SimulatorApp implements RunningService {

    private static final Logger log = LoggerFactory.getLogger(SimulatorApp.class);

    private final SimulatorMetrics metrics;
    private final MetricsServer metricsServer;
    private final RecordSink sink;
    private final Simulator simulator;
    private final long startNanos;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private SimulatorApp(
            SimulatorMetrics metrics,
            MetricsServer metricsServer,
            RecordSink sink,
            Simulator simulator,
            long startNanos) {
        this.metrics = metrics;
        this.metricsServer = metricsServer;
        this.sink = sink;
        this.simulator = simulator;
        this.startNanos = startNanos;
    }

    /** Serves metrics, creates the topics and starts sending; closes what it opened if that fails. */
    public static SimulatorApp start(SimulatorConfig config) {
        SimulatorMetrics metrics = new SimulatorMetrics();
        MetricsServer metricsServer = MetricsServer.start(metrics.registry(), config.metricsPort());
        RecordSink sink = null;
        try {
            sink = config.stdout()
                    ? new StdoutRecordSink(System.out, metrics)
                    : new KafkaRecordSink(config.kafka(), metrics);
            log.info("Metrics at http://localhost:{}/metrics", metricsServer.port());
            if (!config.stdout()) {
                KafkaTopicAdmin.ensureExist(
                        config.kafka(),
                        topicsToCreate(config).stream()
                                .map(name -> KafkaTopicAdmin.inputTopic(
                                        name,
                                        Optional.of(config.partitions()),
                                        Optional.of(config.replicationFactor())))
                                .toList());
            }
            long startNanos = System.nanoTime();
            return new SimulatorApp(metrics, metricsServer, sink, Simulator.start(config, sink, metrics), startNanos);
        } catch (RuntimeException e) {
            if (sink != null) {
                sink.close();
            }
            metricsServer.close();
            throw e;
        }
    }

    /**
     * Waits until every finite stream is done (never, if one is unbounded), and stops: only the flush of the stop
     * tells whether every record was acknowledged (then OK).
     */
    @Override
    public ExitCode awaitEnd() throws InterruptedException {
        simulator.awaitCompletion();
        stop();
        return metrics.failedByTopic().values().stream()
                                .mapToLong(Long::longValue)
                                .sum()
                        == 0
                ? ExitCode.OK
                : ExitCode.FAILED;
    }

    /** Stops sending, flushes every record sent so far, logs the summary and closes the sink and metrics server. */
    @Override
    public void stop() {
        if (stopped.compareAndSet(false, true)) {
            log.info("Stopping: flushing every record sent so far");
            simulator.stop();
            logSummary();
            sink.close();
            metricsServer.close();
        }
    }

    private static List<String> topicsToCreate(SimulatorConfig config) {
        if (config.replayFile() != null) {
            return Topics.INPUTS.stream().map(EventType::topicName).toList();
        }
        return config.streams().stream()
                .filter(StreamConfig::enabled)
                .map(s -> s.topic().topicName())
                .toList();
    }

    /**
     * One machine-readable line: tests compare it with what arrived in Kafka, and the benchmark reads the time from
     * the first send until everything was acknowledged.
     */
    private void logSummary() {
        log.info(
                "summary {}",
                Json.toJson(Map.of(
                        "acknowledged",
                        metrics.acknowledgedByTopic(),
                        "failed",
                        metrics.failedByTopic(),
                        "elapsed_ms",
                        (System.nanoTime() - startNanos) / 1_000_000)));
    }
}
