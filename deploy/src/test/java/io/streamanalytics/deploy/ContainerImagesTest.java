package io.streamanalytics.deploy;

import static io.streamanalytics.deploy.Podman.podman;
import static io.streamanalytics.deploy.Podman.podmanOrFail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.results.PipelineResults;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.testing.IntegrationTest;
import io.streamanalytics.testing.RequiredProgram;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The three service images, built by podman from the real Dockerfiles (Maven build stage included) on stand-in
 * Debian bases ({@link StandInBaseImages}), run as the compose file runs them: on one container network, with the
 * compose file's environment, volumes, published ports and health checks, against the project's embedded KRaft
 * broker in a container. Pins exact end-to-end results on the REST API, the health checks inside the containers,
 * the Spark UI on its published port, and a clean SIGTERM stop after which a restart still serves every result.
 * Skipped where podman cannot run containers (each test, with the reason), except in CI (CI=true), where that fails.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImagesTest {

    private static final String KAFKA = "kafka";
    private static final Path LOGS = ComposeProject.DEPLOY.resolve("target/container-images");
    /** A cold build downloads Maven, every dependency and the JDK packages; a warm one takes a minute or two. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Unique per run, so that a run never meets another's (or a real stack's) containers, network or volumes. */
    private final String prefix = "sa-images-test-" + ProcessHandle.current().pid();

    private final Map<String, Map<Integer, Integer>> hostPorts = new LinkedHashMap<>();
    private final List<String> containers = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private boolean networkCreated;

    private final SimulatorConfig simulator = ReferenceResults.deterministicSimulatorConfig();
    private final Map<String, Map<String, Double>> expectedScotsmen = ReferenceResults.scotsmenPerDistrict(simulator);
    private final Map<String, Map<String, Double>> expectedImpressions =
            ReferenceResults.impressionsPerMinute(simulator);

    /** Why containers cannot be tested on this machine; null where they can. */
    private String notTestable;

    @BeforeAll
    void buildTheImagesAndStartTheStack() throws IOException {
        notTestable = Podman.whyNotInstalled();
        if (notTestable == null) {
            notTestable = StandInBaseImages.whyNotAvailable();
        }
        if (notTestable != null) {
            return;
        }
        Files.createDirectories(LOGS);
        long started = System.nanoTime();
        StandInBaseImages.ensure(LOGS);
        long basesReady = System.nanoTime();
        Podman.Result smoke = podman(COMMAND_TIMEOUT, "run", "--rm", StandInBaseImages.JRE, "java", "-version");
        if (!smoke.ok()) {
            notTestable =
                    "podman cannot run a container here: " + smoke.output().strip();
            return;
        }
        for (String service : ComposeProject.SERVICES) {
            build(service);
        }
        long imagesBuilt = System.nanoTime();
        timing("base images %d s, service images %d s", seconds(started, basesReady), seconds(basesReady, imagesBuilt));

        podmanOrFail(COMMAND_TIMEOUT, "network", "create", prefix);
        networkCreated = true;
        startKafka();
        // As compose orders them (depends_on): the simulator creates the input topics, then the analytics may start.
        start("producer-simulator", simulatorSettings());
        awaitHealthy("producer-simulator");
        start("stream-analytics", RunningServices.TEST_SETTINGS.get("stream-analytics"));
        start("results-consumer", consumerSettings());
        timing("stack started %d s after the images", seconds(imagesBuilt, System.nanoTime()));
    }

    /**
     * Each test skipped with the reason (failed in CI), not the class silently: a class-level abort reports no tests.
     */
    @BeforeEach
    void skipWhereContainersCannotRun() {
        if (notTestable != null) {
            RequiredProgram.unavailable("container images not tested: " + notTestable
                    + " (podman, runc, debootstrap and the dnsname CNI plugin)");
        }
    }

    @Test
    @Order(1)
    void shouldServeExactlyTheReferenceResultsThroughTheRestApi() throws IOException {
        long started = System.nanoTime();
        awaitExactResults(Duration.ofMinutes(5));
        timing("exact results %d s after the stack started", seconds(started, System.nanoTime()));
        // A finite run: the simulator sent everything, dropped nothing, and ended on its own.
        assertThat(await().atMost(Duration.ofMinutes(1))
                        .until(() -> state("producer-simulator"), s -> s.startsWith("exited")))
                .isEqualTo("exited 0");
        JsonNode summary = simulatorSummary();
        summary.path("failed")
                .forEach(failed -> assertThat(failed.asInt())
                        .as("failed sends: %s", summary)
                        .isZero());
        // Every event the reference counts was acknowledged by the broker: none more, none fewer.
        assertThat(summary.path("acknowledged").path("scotsmen").asDouble()).isEqualTo(eventCount(expectedScotsmen));
        assertThat(summary.path("acknowledged").path("clickstream").asDouble())
                .isEqualTo(eventCount(expectedImpressions));
    }

    @Test
    @Order(2)
    void shouldPassTheComposeHealthChecksInsideTheRunningContainers() {
        // The simulator's was passed at start-up, while it ran (stream-analytics waits for it, as in compose).
        for (String service : List.of("stream-analytics", "results-consumer")) {
            awaitHealthy(service);
        }
    }

    @Test
    @Order(3)
    void shouldServeTheSparkUiOnItsPublishedPort() throws Exception {
        int port = hostPort("stream-analytics", 4040);
        HttpResponse<String> page = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/StreamingQuery/"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        // One active query per running pipeline, named after it.
        assertThat(page.body()).contains("Streaming Query").contains(RunningServices.RUNNING_PIPELINES);
    }

    @Test
    @Order(4)
    void shouldStopCleanlyOnSigtermAndServeEveryResultAgainAfterARestart() {
        // As `docker compose stop`: dependents first, the broker last, each with its grace period, then SIGKILL.
        for (String service : List.of("results-consumer", "stream-analytics", KAFKA)) {
            String grace =
                    ComposeProject.service(service).path("stop_grace_period").asText();
            assertThat(grace).as(service + " stop_grace_period").matches("\\d+s");
            podmanOrFail(Duration.ofMinutes(2), "stop", "--time", grace.replace("s", ""), name(service));
            // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and ended. 137 would be the SIGKILL after the grace
            // period.
            assertThat(state(service))
                    .as(service + " after SIGTERM; log:%n%s", tail(service))
                    .isEqualTo("exited 143");
        }
        assertThat(logs("stream-analytics"))
                .contains("stream-analytics shutting down")
                .contains(RunningServices.RUNNING_PIPELINES.stream()
                        .map(p -> "Stopped pipeline " + p)
                        .toList());
        assertThat(logs("results-consumer")).contains("Results-consumer stopped");
        assertThat(logs(KAFKA)).contains("Embedded Kafka broker at " + bootstrapServers() + " stopped");

        // As `docker compose start`: the same containers, volumes and writable layers. The simulator is not restarted
        // (restart: on-failure, and a finite run sends the same events again).
        podmanOrFail(COMMAND_TIMEOUT, "start", name(KAFKA));
        awaitLogCount(KAFKA, "Kafka broker ready at", 2);
        podmanOrFail(COMMAND_TIMEOUT, "start", name("stream-analytics"), name("results-consumer"));
        awaitHealthy("results-consumer");
        // Nothing new to compute: exact at once means the consumer's stored results and offsets were complete.
        awaitExactResults(Duration.ofSeconds(30));
        awaitHealthy("stream-analytics");
        // Spark keeps a query's id in its checkpoint: the same id after the restart is the query resumed from the
        // checkpoint volume, not a new one reading its input again from the earliest offsets.
        for (String pipeline : RunningServices.RUNNING_PIPELINES) {
            List<String> ids = queryIds(pipeline);
            assertThat(ids)
                    .as(pipeline + " query ids, before and after the restart")
                    .hasSize(2);
            assertThat(ids.get(1)).as(pipeline + " query id after the restart").isEqualTo(ids.get(0));
        }
    }

    @AfterAll
    void removeTheStack() throws IOException {
        for (String service : hostPorts.keySet()) {
            Files.writeString(LOGS.resolve(service + ".log"), logs(service));
        }
        if (!containers.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "--force", "--time", "0"));
            rm.addAll(containers);
            podman(COMMAND_TIMEOUT, rm);
        }
        if (networkCreated) {
            podman(COMMAND_TIMEOUT, "network", "rm", "--force", prefix);
        }
        if (!volumes.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("volume", "rm", "--force"));
            rm.addAll(volumes);
            podman(COMMAND_TIMEOUT, rm);
        }
    }

    /** podman build as compose builds the service: its Dockerfile and context, tagged with its image name. */
    private void build(String service) {
        List<String> args = new ArrayList<>(Podman.PODMAN);
        args.addAll(List.of(
                "build",
                "--pull=never",
                "--file",
                ComposeProject.dockerfile(service).toString(),
                "--build-arg",
                "JDK_IMAGE=" + StandInBaseImages.JDK,
                "--build-arg",
                "JRE_IMAGE=" + StandInBaseImages.JRE,
                "--tag",
                image(service),
                ComposeProject.buildContext(service).toString()));
        long started = System.nanoTime();
        Podman.runLogged(BUILD_TIMEOUT, args, LOGS.resolve("build-" + service + ".log"));
        timing("%s image %d s", service, seconds(started, System.nanoTime()));
    }

    /**
     * The compose file's Kafka, played by the project's embedded KRaft broker (its apache/kafka image is in a
     * registry): on the stand-in JRE base, under the network alias and port the services' KAFKA_BOOTSTRAP_SERVERS
     * name, with the compose service's cluster id, heap and data volume.
     */
    private void startKafka() {
        String[] bootstrap = bootstrapServers().split(":");
        assertThat(bootstrap[0]).isEqualTo(KAFKA);
        Map<String, String> kafka = ComposeProject.environment(KAFKA);
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("://" + String.join(":", bootstrap));
        Path jar = ComposeProject.ROOT.resolve("embedded-kafka/target/embedded-kafka.jar");
        assertThat(jar).as("built by the reactor before this module").exists();
        List<String> args = runArgs(
                KAFKA,
                Map.of(
                        "BROKER_PORT",
                        bootstrap[1],
                        "BROKER_ADVERTISED_HOST",
                        KAFKA,
                        "BROKER_CLUSTER_ID",
                        kafka.get("CLUSTER_ID"),
                        "BROKER_DATA_DIR",
                        ComposeProject.mounts(KAFKA).get("kafka-data")));
        args.addAll(List.of("--volume", jar + ":/app/embedded-kafka.jar:ro", StandInBaseImages.JRE, "java"));
        args.addAll(List.of(kafka.get("KAFKA_HEAP_OPTS").split("\\s+")));
        args.addAll(List.of("-jar", "/app/embedded-kafka.jar"));
        podmanOrFail(COMMAND_TIMEOUT, args.toArray(String[]::new));
        // The compose health check runs Kafka's own scripts, not in this image: the broker says when it answers.
        awaitLogCount(KAFKA, "Kafka broker ready at", 1);
    }

    /** Where the services look for Kafka: the broker's network alias and port. */
    private static String bootstrapServers() {
        return ComposeProject.environment("stream-analytics").get("KAFKA_BOOTSTRAP_SERVERS");
    }

    /** The service's image, as compose runs it: its environment (and the test's overrides), ports and volumes. */
    private void start(String service, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>(ComposeProject.environment(service));
        env.putAll(overrides);
        env.values().removeIf(v -> v == null);
        List<String> args = runArgs(service, env);
        args.add(image(service));
        podmanOrFail(COMMAND_TIMEOUT, args.toArray(String[]::new));
    }

    /** podman run -d for a service: named, on the network under its service name, ports on loopback, named volumes. */
    private List<String> runArgs(String service, Map<String, String> env) {
        List<String> args = new ArrayList<>(
                List.of("run", "--detach", "--name", name(service), "--network", prefix, "--network-alias", service));
        String hostname = ComposeProject.service(service).path("hostname").asText("");
        if (!hostname.isEmpty()) {
            args.addAll(List.of("--hostname", hostname));
        }
        env.forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
        Map<Integer, Integer> published = new LinkedHashMap<>();
        ComposeProject.publishedPorts(service).keySet().forEach(containerPort -> {
            int hostPort = FreePorts.next();
            published.put(containerPort, hostPort);
            args.addAll(List.of("--publish", "127.0.0.1:" + hostPort + ":" + containerPort));
        });
        ComposeProject.mounts(service).forEach((volume, path) -> {
            assertThat(volume).as("a named volume of " + service).doesNotStartWith(".");
            String name = prefix + "-" + volume;
            if (!volumes.contains(name)) {
                volumes.add(name);
            }
            args.addAll(List.of("--volume", name + ":" + path));
        });
        hostPorts.put(service, published);
        containers.add(name(service));
        return args;
    }

    /** The deterministic run the reference is computed from; no malformed records (the compose file's 0.001). */
    private static Map<String, String> simulatorSettings() {
        Map<String, String> settings = new LinkedHashMap<>(ReferenceResults.DETERMINISTIC_SIMULATOR);
        settings.put("MALFORMED_FRACTION", "0");
        return settings;
    }

    /**
     * The consumer on its default database, an H2 file in its working directory (so in the container's writable
     * layer, kept across a stop and start): the compose file's postgres:16.4 image is in a registry. The PostgreSQL
     * path of the same code runs in {@link ComposeStackTest}.
     */
    private static Map<String, String> consumerSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("RESULTS_DB_URL", null);
        settings.put("RESULTS_DB_USER", null);
        settings.put("RESULTS_DB_PASSWORD", null);
        return settings;
    }

    private void awaitExactResults(Duration atMost) {
        int port = hostPort("results-consumer", 8080);
        // Connections refused while the consumer starts are waiting; a service that has ended fails at once.
        await().atMost(atMost)
                .pollInterval(Duration.ofSeconds(3))
                .ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> {
                    assertRunning("stream-analytics");
                    assertRunning("results-consumer");
                    assertThat(ResultsApi.metricsByKey(port, PipelineResults.SCOTSMEN_PER_DISTRICT, expectedScotsmen))
                            .isEqualTo(expectedScotsmen);
                    assertThat(ResultsApi.metricsByKey(
                                    port, PipelineResults.IMPRESSIONS_PER_MINUTE, expectedImpressions))
                            .isEqualTo(expectedImpressions);
                });
    }

    /** What the simulator logs when its run ends: per topic the records the broker acknowledged and those that failed. */
    private JsonNode simulatorSummary() throws IOException {
        String line = logs("producer-simulator")
                .lines()
                .filter(l -> l.contains(" summary {"))
                .reduce((a, b) -> b)
                .orElseThrow(
                        () -> new AssertionError("no summary in the simulator's log:\n" + tail("producer-simulator")));
        return Json.MAPPER.readTree(line.substring(line.indexOf(" summary {") + " summary ".length()));
    }

    /** The query id of each start of the pipeline, in order, from the analytics' log. */
    private List<String> queryIds(String pipeline) {
        Matcher m = Pattern.compile("Started pipeline " + pipeline + " \\(query id ([0-9a-f-]+)\\)")
                .matcher(logs("stream-analytics"));
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static double eventCount(Map<String, Map<String, Double>> expected) {
        return expected.values().stream()
                .mapToDouble(metrics -> metrics.get("event_count"))
                .sum();
    }

    /** The compose health check, run inside the container as Docker runs it; passes within its retries' span. */
    private void awaitHealthy(String service) {
        List<String> exec = new ArrayList<>(List.of("exec", name(service)));
        exec.addAll(HealthCheckCommandChecks.command(service));
        await(service + " healthy")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    assertRunning(service);
                    Podman.Result check = podman(Duration.ofSeconds(10), exec);
                    assertThat(check.exitCode())
                            .as("%s%n%s", String.join(" ", exec), check.output())
                            .isZero();
                });
    }

    private void awaitLogCount(String service, String line, int count) {
        await(service + ": " + line)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    assertRunning(service);
                    assertThat(logs(service).split(Pattern.quote(line), -1).length - 1)
                            .isGreaterThanOrEqualTo(count);
                });
    }

    /**
     * Fails when the container has ended, with its log; not an AssertionError, so that an await fails at once
     * instead of waiting out its deadline for a service that is gone.
     */
    private void assertRunning(String service) {
        String state = state(service);
        if (!state.startsWith("running")) {
            throw new IllegalStateException(service + " is " + state + "; log:\n" + tail(service));
        }
    }

    /** "running 0", "exited 143", ... */
    private String state(String service) {
        return podmanOrFail(
                Duration.ofSeconds(30), "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name(service));
    }

    private String logs(String service) {
        return podman(Duration.ofSeconds(30), "logs", name(service)).output();
    }

    private String tail(String service) {
        List<String> lines = logs(service).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private int hostPort(String service, int containerPort) {
        Integer port = hostPorts.getOrDefault(service, Map.of()).get(containerPort);
        assertThat(port).as(service + " publishes " + containerPort).isNotNull();
        return port;
    }

    private String name(String service) {
        return prefix + "-" + service;
    }

    private static String image(String service) {
        return ComposeProject.service(service).path("image").asText();
    }

    private static long seconds(long fromNanos, long toNanos) {
        return Duration.ofNanos(toNanos - fromNanos).toSeconds();
    }

    private static void timing(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("ContainerImagesTest: " + line);
        try {
            Files.writeString(
                    LOGS.resolve("timings.txt"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Timings are for reading, not for the test.
        }
    }
}
