package io.streamanalytics.consumer;

import io.streamanalytics.common.ExitCode;
import io.streamanalytics.common.RunningService;
import io.streamanalytics.common.ServiceRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the results-consumer from the environment (see {@link ResultsConsumerConfig}) with {@link ServiceRunner}: exits 2 on
 * invalid configuration, 1 if start-up fails or the poll loop dies; SIGTERM or Ctrl-C stops it cleanly (143).
 */
public final class ResultsConsumerMain {

    private static final Logger log = LoggerFactory.getLogger(ResultsConsumerMain.class);

    private ResultsConsumerMain() {}

    public static void main(String[] args) {
        ServiceRunner.exit(new ServiceRunner("results-consumer")
                .run(
                        () -> ResultsConsumerConfig.fromEnvironment(System.getenv()),
                        ResultsConsumerConfig::redacted,
                        ResultsConsumerMain::start)
                .code());
    }

    private static RunningService start(ResultsConsumerConfig config) throws InterruptedException {
        ResultsConsumerService service = ResultsConsumerService.start(config);
        log.info(
                "Results-consumer started: dashboard at http://localhost:{}/ , API at /api/pipelines",
                service.httpPort());
        return new RunningService() {
            /** Runs as long as the poll loop: it ends only when closed, or after a failure. */
            @Override
            public ExitCode awaitEnd() throws InterruptedException {
                Throwable failure = service.awaitTermination();
                if (failure != null) {
                    log.error("The results-consumer is stopping after a failure", failure);
                    return ExitCode.FAILED;
                }
                return ExitCode.OK;
            }

            @Override
            public void stop() {
                service.close();
            }
        };
    }
}
