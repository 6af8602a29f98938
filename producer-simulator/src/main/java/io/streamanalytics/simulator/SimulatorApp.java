package io.streamanalytics.simulator;

import io.streamanalytics.common.KafkaTopicAdmin;
import io.streamanalytics.common.MetricsServer;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventTopic;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's lifecycle: log the configuration, serve metrics, create topics, run until every finite stream
 * is done or SIGTERM arrives, then flush so that nothing handed to Kafka is lost, and log a summary.
 */
public final class SimulatorApp {

    private static final Logger log = LoggerFactory.getLogger(SimulatorApp.class);

    private SimulatorApp() {
    }

    /** Runs to completion; returns the process exit status (non-zero if any record was not acknowledged). */
    public static int run(SimulatorConfig config) {
        log.info("Starting producer-simulator with {}", config.describe());
        SimulatorMetrics metrics = new SimulatorMetrics();
        try (MetricsServer metricsServer = MetricsServer.start(metrics.registry(), config.metricsPort());
             RecordSink sink = config.stdout() ? new StdoutRecordSink(System.out, metrics)
                     : new KafkaRecordSink(config.kafkaProperties(), metrics)) {
            log.info("Metrics at http://localhost:{}/metrics", metricsServer.port());
            if (!config.stdout()) {
                KafkaTopicAdmin.ensureExist(config.kafka(), topicsToCreate(config).stream()
                        .map(name -> KafkaTopicAdmin.inputTopic(name, Optional.of(config.partitions()),
                                Optional.of(config.replicationFactor())))
                        .toList());
            }
            long startNanos = System.nanoTime();
            Simulator simulator = Simulator.start(config, sink, metrics);
            Thread shutdownHook = new Thread(() -> {
                log.info("Stopping: flushing every record sent so far");
                simulator.stop();
                logSummary(metrics, startNanos);
            }, "simulator-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            simulator.awaitCompletion();
            simulator.stop();
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            logSummary(metrics, startNanos);
            return metrics.failedByTopic().values().stream().mapToLong(Long::longValue).sum() == 0 ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            log.error("producer-simulator failed: {}", e.getMessage(), e);
            return 1;
        }
    }

    private static List<String> topicsToCreate(SimulatorConfig config) {
        if (config.replayFile() != null) {
            return Topics.INPUTS.stream().map(EventTopic::name).toList();
        }
        return config.streams().stream().filter(StreamConfig::enabled).map(s -> s.topic().name()).toList();
    }

    /**
     * One machine-readable line: tests compare it with what arrived in Kafka, and the benchmark reads the time from
     * the first send until everything was acknowledged.
     */
    private static void logSummary(SimulatorMetrics metrics, long startNanos) {
        log.info("summary {}", Json.toJson(Map.of("acknowledged", metrics.acknowledgedByTopic(),
                "failed", metrics.failedByTopic(), "elapsed_ms", (System.nanoTime() - startNanos) / 1_000_000)));
    }
}
