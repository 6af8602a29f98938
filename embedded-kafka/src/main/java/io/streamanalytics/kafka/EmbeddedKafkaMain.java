package io.streamanalytics.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded broker as a process for the local stack. Environment: {@code BROKER_PORT} (default 9092),
 * {@code BROKER_CONTROLLER_PORT} (default 9093), {@code BROKER_DATA_DIR} (default: a temporary directory,
 * deleted on exit). Stops cleanly on SIGTERM or Ctrl-C.
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("BROKER_PORT", "9092"));
        int controllerPort = Integer.parseInt(System.getenv().getOrDefault("BROKER_CONTROLLER_PORT", "9093"));
        String dataDir = System.getenv("BROKER_DATA_DIR");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(
                port, controllerPort, dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir), Duration.ofSeconds(60)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "embedded-kafka-shutdown"));
        System.out.println("Kafka broker ready at " + broker.bootstrapServers());
        stopped.await();
    }
}
