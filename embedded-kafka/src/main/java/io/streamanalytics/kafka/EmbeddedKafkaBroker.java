package io.streamanalytics.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka node in KRaft mode (combined broker and controller) running inside this JVM, from Maven artifacts
 * only, on loopback (in a container: see {@link Settings#advertisedHost}): a single-node cluster by default, or one node of a multi-node cluster (see {@link Settings}). Start it with {@link #start(Settings)}; {@link #close()} stops it and
 * deletes a temporary data directory.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    /**
     * @param nodeId            this node's id in the cluster
     * @param port              client port, 0 for a free one
     * @param controllerPort    KRaft controller port, 0 for a free one
     * @param quorumVoters      {@code id@host:port,...} of every controller; null for a single-node cluster
     * @param clusterId         the id every node of a cluster shares; null for a fresh random one
     * @param dataDir           log directory; null for a temporary one deleted on close. An existing, formatted
     *                          directory is reused, so the broker keeps its topics across restarts.
     * @param replicationFactor replication of internal and default topics (1 for a single node)
     * @param startTimeout      how long {@link #start} waits for the broker to answer
     * @param advertisedHost    null: listen on loopback only. Else the name other hosts reach this node by (a
     *                          container's network alias): the node then listens on every interface and advertises
     *                          that name to clients.
     */
    public record Settings(
            int nodeId,
            int port,
            int controllerPort,
            String quorumVoters,
            String clusterId,
            Path dataDir,
            int replicationFactor,
            Duration startTimeout,
            String advertisedHost) {

        /** A node on loopback only. */
        public Settings(
                int nodeId,
                int port,
                int controllerPort,
                String quorumVoters,
                String clusterId,
                Path dataDir,
                int replicationFactor,
                Duration startTimeout) {
            this(nodeId, port, controllerPort, quorumVoters, clusterId, dataDir, replicationFactor, startTimeout, null);
        }

        public static Settings ephemeral() {
            return new Settings(1, 0, 0, null, null, null, 1, Duration.ofSeconds(60));
        }

        String listenHost() {
            return advertisedHost == null ? HOST : "0.0.0.0";
        }

        String clientHost() {
            return advertisedHost == null ? HOST : advertisedHost;
        }
    }

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteOnClose;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean deleteOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Formats storage if needed, starts the broker and returns once it answers a metadata request. */
    public static EmbeddedKafkaBroker start(Settings settings) {
        boolean temporary = settings.dataDir() == null;
        Path dataDir;
        try {
            dataDir = temporary
                    ? Files.createTempDirectory("embedded-kafka-")
                    : Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker data directory", e);
        }
        int port = settings.port() == 0 ? freePort() : settings.port();
        int controllerPort = settings.controllerPort() == 0 ? freePort() : settings.controllerPort();
        String voters = settings.quorumVoters() != null
                ? settings.quorumVoters()
                : settings.nodeId() + "@" + HOST + ":" + controllerPort;
        Properties props = brokerProperties(settings, port, controllerPort, voters, dataDir);
        formatIfNeeded(
                dataDir,
                settings.nodeId(),
                settings.clusterId() != null
                        ? settings.clusterId()
                        : Uuid.randomUuid().toString());

        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        server.startup();
        EmbeddedKafkaBroker broker =
                new EmbeddedKafkaBroker(server, settings.clientHost() + ":" + port, dataDir, temporary);
        try {
            broker.awaitReady(settings.startTimeout());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        log.info("Embedded Kafka broker ready at {} (data in {})", broker.bootstrapServers, dataDir);
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
        log.info("Embedded Kafka broker at {} stopped", bootstrapServers);
    }

    private static Properties brokerProperties(
            Settings settings, int port, int controllerPort, String voters, Path dataDir) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(settings.nodeId()));
        props.put("controller.quorum.voters", voters);
        props.put(
                "listeners",
                "PLAINTEXT://" + settings.listenHost() + ":" + port + "," + CONTROLLER_LISTENER + "://"
                        + settings.listenHost() + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + settings.clientHost() + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        String replication = Integer.toString(settings.replicationFactor());
        // With replicas to spare, a write must reach two of them (acks=all) so losing one broker loses nothing.
        String minInSync = Integer.toString(Math.min(2, settings.replicationFactor()));
        props.put("default.replication.factor", replication);
        props.put("min.insync.replicas", minInSync);
        props.put("offsets.topic.replication.factor", replication);
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", replication);
        props.put("transaction.state.log.min.isr", minInSync);
        props.put("transaction.state.log.num.partitions", "5");
        // A local demo and tests want consumers to join at once, not after the 3 s production default.
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    private static void formatIfNeeded(Path dataDir, int nodeId, String clusterId) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(dataDir.toString())
                .setDirectories(Set.of(dataDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dataDir, e);
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException(
                                "Kafka broker at " + bootstrapServers + " not ready after " + timeout, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    /** A port free right now on the broker's host: for {@link Settings} whose ports must stay the same across a restart. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
