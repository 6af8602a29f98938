package io.streamanalytics.deploy;

import io.streamanalytics.kafka.SharedKafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The three services running for real from the shaded jars the Dockerfiles copy, each with its environment from the
 * compose file and only what must differ on one machine overridden (addresses, ports, directories), against an
 * embedded Kafka broker and a real PostgreSQL as in the compose stack. Started on first use within a top-level test
 * class with {@link Extension} and stopped (SIGTERM, then kill) when that class ends, or when the JVM exits.
 */
final class RunningServices implements AutoCloseable {

    /** Overrides for speed on a small machine; each is a documented setting of the service. */
    static final Map<String, Map<String, String>> TEST_SETTINGS = Map.of(
            // Enough broken records for dead letters within seconds (the compose file's 0.001 takes minutes).
            "producer-simulator", Map.of("MALFORMED_FRACTION", "0.2", "WEATHER_FILE_INTERVAL", "1s"),
            // Two queries instead of eight on two cores: every dashboard metric is per query, whichever the pipeline.
            "stream-analytics",
                    Map.of(
                            "PIPELINES",
                            "scotsmen_per_district,impressions_per_minute",
                            "TRIGGER_INTERVAL",
                            "1s",
                            "JAVA_OPTS",
                            "-Xmx768m"),
            "results-consumer", Map.of());

    static final List<String> RUNNING_PIPELINES = List.of("scotsmen_per_district", "impressions_per_minute");

    /** Grafana's read-only role, as the compose stack's init script creates it; its password here. */
    static final String GRAFANA_READER = "grafana_reader";

    private static final String GRAFANA_READER_PASSWORD = "reader";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path workDir;
    private final EmbeddedPostgres postgres;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Path> logs = new LinkedHashMap<>();
    private final List<String> notStarted = new ArrayList<>();

    private final Thread shutdownHook = new Thread(this::stopAll, "compose-services-shutdown");
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    private RunningServices(Path workDir) throws IOException {
        this.workDir = workDir;
        // Also when the test JVM is stopped from outside (SIGTERM): no service outlives it.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.postgres = EmbeddedPostgres.builder().start();
        createGrafanaReader();
        String bootstrap = SharedKafkaBroker.get().bootstrapServers();
        Path weather = Files.createDirectories(workDir.resolve("weather"));
        for (String service : ComposeProject.SERVICES) {
            Path jar = ServiceConfigs.jar(service);
            if (!Files.isRegularFile(jar)) {
                notStarted.add(service + " (" + jar + " missing)");
                continue;
            }
            int port = freePort();
            Map<String, String> env = new LinkedHashMap<>(ComposeProject.environment(service));
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            switch (service) {
                case "producer-simulator" -> {
                    env.put("METRICS_PORT", Integer.toString(port));
                    env.put("WEATHER_DIR", weather.toString());
                }
                case "stream-analytics" -> {
                    env.put("METRICS_PORT", Integer.toString(port));
                    env.put("WEATHER_DIR", weather.toString());
                    env.put("CHECKPOINT_DIR", workDir.resolve("checkpoints").toString());
                }
                case "results-consumer" -> {
                    env.put("HTTP_PORT", Integer.toString(port));
                    env.put("RESULTS_DB_URL", postgres.getJdbcUrl("postgres", "postgres"));
                    env.put("RESULTS_DB_USER", "postgres");
                    env.put("RESULTS_DB_PASSWORD", "postgres");
                }
                default -> throw new IllegalStateException(service);
            }
            env.putAll(TEST_SETTINGS.get(service));
            ports.put(service, port);
            processes.put(service, start(service, stableCopy(jar), env));
        }
    }

    /**
     * A private copy of a jar once it is complete: a module being rebuilt meanwhile (same tree, other builds) must
     * neither hand a half-written jar to a service nor pull classes from under a running one.
     */
    private Path stableCopy(Path jar) throws IOException {
        java.util.concurrent.atomic.AtomicReference<String> lastSeen =
                new java.util.concurrent.atomic.AtomicReference<>("");
        org.awaitility.Awaitility.await("a complete " + jar)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    String now = Files.size(jar) + "@" + Files.getLastModifiedTime(jar);
                    if (!now.equals(lastSeen.getAndSet(now))) {
                        return false;
                    }
                    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
                        return file.getManifest() != null
                                && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
                    } catch (IOException e) {
                        return false;
                    }
                });
        Path copy = Files.createDirectories(workDir.resolve("jars")).resolve(jar.getFileName());
        Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    private Process start(String service, Path jar, Map<String, String> env) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve(service));
        Path log = dir.resolve("service.log");
        logs.put(service, log);
        // As the image's entrypoint does: java -XX:+IgnoreUnrecognizedVMOptions $JAVA_OPTS -jar the.jar
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+IgnoreUnrecognizedVMOptions"));
        command.addAll(List.of(env.getOrDefault("JAVA_OPTS", "").trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        command.removeIf(String::isBlank);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> processEnv = builder.environment();
        processEnv
                .keySet()
                .removeIf(name -> !Set.of("PATH", "HOME", "LANG", "TMPDIR").contains(name));
        processEnv.putAll(env);
        return builder.start();
    }

    int port(String service) {
        Integer port = ports.get(service);
        if (port == null) {
            throw new IllegalStateException(service + " is not running: " + notStarted);
        }
        return port;
    }

    boolean isRunning(String service) {
        return processes.containsKey(service);
    }

    /** Services whose jar was missing, so nothing of theirs could be checked. */
    List<String> notStarted() {
        return List.copyOf(notStarted);
    }

    DataSource database() {
        return postgres.getPostgresDatabase();
    }

    /** The results database as Grafana's data source connects to it. */
    java.sql.Connection grafanaConnection() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(
                postgres.getJdbcUrl(GRAFANA_READER, "postgres"), GRAFANA_READER, GRAFANA_READER_PASSWORD);
    }

    /**
     * Runs the compose stack's init script before the consumer creates its schema, as the postgres image does when it
     * creates the database, by the role the consumer then connects as.
     */
    private void createGrafanaReader() {
        try (java.sql.Connection connection = postgres.getPostgresDatabase().getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            for (String sql : ComposeProject.psqlStatements(
                    ComposeProject.GRAFANA_READER_SQL,
                    Map.of("reader_password", GRAFANA_READER_PASSWORD, "DBNAME", "postgres"))) {
                statement.execute(sql);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot run " + ComposeProject.GRAFANA_READER_SQL, e);
        }
    }

    String metricsPath(String service) {
        return "/metrics";
    }

    /** Fails with the service's log if any service has exited. */
    void assertAlive() throws IOException {
        for (Map.Entry<String, Process> p : processes.entrySet()) {
            if (!p.getValue().isAlive()) {
                throw new AssertionError(
                        p.getKey() + " exited with " + p.getValue().exitValue() + "; log:\n" + tail(p.getKey()));
            }
        }
    }

    String tail(String service) throws IOException {
        List<String> lines = Files.readAllLines(logs.get(service));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** The sample names (as PromQL sees them: with _bucket, _count, _sum, _total) a service exposes now. */
    Set<String> exposedNames(String service) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(service) + metricsPath(service)))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(service + " /metrics answered " + response.statusCode());
        }
        Set<String> names = new TreeSet<>();
        response.body()
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down.
        }
    }

    private void stopAll() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // Only a temporary directory left behind.
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Injects the {@link RunningServices} of the top-level test class, started on first use and closed at its end. */
    static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RunningServices.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return outermostClass(context)
                    .getStore(ExtensionContext.Namespace.create(RunningServices.class))
                    .getOrComputeIfAbsent(
                            RunningServices.class,
                            key -> {
                                try {
                                    Path dir = Files.createTempDirectory("compose-services");
                                    return new Resource(new RunningServices(dir));
                                } catch (IOException e) {
                                    throw new UncheckedIOException("cannot start the services", e);
                                }
                            },
                            Resource.class)
                    .services;
        }

        /** The top-level test class's context: its nested classes share the services, closed when it ends. */
        private static ExtensionContext outermostClass(ExtensionContext context) {
            ExtensionContext current = context;
            while (current.getParent().isPresent() && current.getParent().get() != context.getRoot()) {
                current = current.getParent().get();
            }
            return current;
        }

        /** Closed by JUnit when the context it is stored in closes. */
        private record Resource(RunningServices services) implements ExtensionContext.Store.CloseableResource {
            @Override
            public void close() {
                services.close();
            }
        }
    }
}
