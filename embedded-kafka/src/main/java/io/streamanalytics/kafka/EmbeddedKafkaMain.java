package io.streamanalytics.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded Kafka node as a process, for the local stack and the multi-broker cluster scripts.
 * Environment: {@code BROKER_PORT} (default 9092), {@code BROKER_CONTROLLER_PORT} (default 9093),
 * {@code BROKER_DATA_DIR} (default: a temporary directory, deleted on exit); for one node of a cluster also
 * {@code BROKER_NODE_ID} (1), {@code BROKER_QUORUM_VOTERS} ({@code 1@127.0.0.1:9093,2@...}),
 * {@code BROKER_CLUSTER_ID} (shared by all nodes) and {@code BROKER_REPLICATION_FACTOR} (1); in a container,
 * {@code BROKER_ADVERTISED_HOST}: the name the other containers reach it by (it then listens on every interface, not
 * only loopback). Stops cleanly on SIGTERM or Ctrl-C.
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        String dataDir = env.get("BROKER_DATA_DIR");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(
                Integer.parseInt(env.getOrDefault("BROKER_NODE_ID", "1")),
                Integer.parseInt(env.getOrDefault("BROKER_PORT", "9092")),
                Integer.parseInt(env.getOrDefault("BROKER_CONTROLLER_PORT", "9093")),
                blankToNull(env.get("BROKER_QUORUM_VOTERS")),
                blankToNull(env.get("BROKER_CLUSTER_ID")),
                dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir),
                Integer.parseInt(env.getOrDefault("BROKER_REPLICATION_FACTOR", "1")),
                Duration.ofSeconds(120),
                blankToNull(env.get("BROKER_ADVERTISED_HOST"))));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            stopped.countDown();
                        },
                        "embedded-kafka-shutdown"));
        System.out.println("Kafka broker ready at " + broker.bootstrapServers());
        stopped.await();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
