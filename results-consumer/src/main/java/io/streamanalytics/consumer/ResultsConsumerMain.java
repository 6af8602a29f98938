package io.streamanalytics.consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the results-consumer from the environment (see {@link ConsumerConfig}). Exits 2 on invalid configuration,
 * 1 if start-up fails or the poll loop dies; SIGTERM or Ctrl-C stops it cleanly.
 */
public final class ResultsConsumerMain {

    private static final Logger log = LoggerFactory.getLogger(ResultsConsumerMain.class);

    private ResultsConsumerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ConsumerConfig config;
        try {
            config = ConsumerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("{}", e.getMessage());
            System.exit(2);
            return;
        }
        log.info("Starting the results-consumer with {}", config.redacted());
        ResultsConsumerService service;
        try {
            service = ResultsConsumerService.start(config);
        } catch (RuntimeException e) {
            log.error("The results-consumer failed to start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "results-consumer-shutdown"));
        log.info("Results-consumer started: dashboard at http://localhost:{}/ , API at /api/pipelines", service.httpPort());
        Throwable failure = service.awaitTermination();
        if (failure != null) {
            log.error("The results-consumer is stopping after a failure", failure);
            System.exit(1);
        }
    }
}
