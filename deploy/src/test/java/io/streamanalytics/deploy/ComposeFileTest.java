package io.streamanalytics.deploy;

import static io.streamanalytics.deploy.ComposeProject.COMPOSE_FILE;
import static io.streamanalytics.deploy.ComposeProject.ROOT;
import static io.streamanalytics.deploy.ComposeProject.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.testing.IntegrationTest;
import io.streamanalytics.testing.Promtool;
import io.streamanalytics.testing.RequiredProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The docker-compose stack checked without a Docker engine: its files parse, images are pinned, and every service,
 * port, environment variable, jar and scrape target it names is the one the code defines. Of the full tier: it calls
 * the services' configuration code inside the shaded jars that {@code package} builds, as the images ship it.
 */
@IntegrationTest
class ComposeFileTest {

    static final List<String> SERVICE_NAMES = SERVICES;

    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
    private static final Pattern ARG = Pattern.compile("(?m)^ARG\\s+([A-Z_]+)=(\\S+)$");
    /** A COPY from the build context (no --from): its sources and destination. */
    private static final Pattern COPY_FROM_CONTEXT =
            Pattern.compile("(?m)^COPY[ \\t]+(?!.*--from)((?:\\S+[ \\t]+)+)(\\S+)[ \\t]*$");

    private static final Pattern COPY_FROM_BUILD =
            Pattern.compile("(?m)^COPY\\s+--from=build\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$");
    /** A published port: loopback unless PUBLISH_ADDRESS says otherwise, and a host port with a variable of its own. */
    private static final Pattern PUBLISHED_PORT =
            Pattern.compile("\\$\\{PUBLISH_ADDRESS:-127\\.0\\.0\\.1}:\\$\\{([A-Z_]+_PORT):-(\\d+)}:(\\d+)");

    @Test
    void shouldParseTheComposeFileAndEveryProvisioningFile() {
        JsonNode compose = ComposeProject.compose();
        assertThat(compose.path("services").size()).isEqualTo(8);
        assertThat(ComposeProject.yaml(ComposeProject.EXTERNAL_KAFKA_FILE)
                        .path("services")
                        .isObject())
                .isTrue();
        assertThat(ComposeProject.yaml(ComposeProject.PROMETHEUS_CONFIG)
                        .path("scrape_configs")
                        .isArray())
                .isTrue();
        assertThat(ComposeProject.grafanaProvisioningFiles())
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(file -> assertThat(
                                ComposeProject.yaml(file).path("apiVersion").asInt())
                        .as(file.toString())
                        .isEqualTo(1));
        assertThat(ComposeProject.dashboardFiles()).hasSize(2);
        Set<String> titles = new TreeSet<>();
        Set<String> uids = new TreeSet<>();
        for (Path file : ComposeProject.dashboardFiles()) {
            JsonNode dashboard = ComposeProject.json(file);
            titles.add(dashboard.path("title").asText());
            uids.add(dashboard.path("uid").asText());
            List<JsonNode> panels = ComposeProject.panels(dashboard);
            assertThat(panels).as(file.toString()).isNotEmpty();
            assertThat(panels.stream().map(p -> p.path("id").asInt()).distinct().count())
                    .as("unique panel ids in " + file)
                    .isEqualTo(panels.size());
            assertThat(panels).allSatisfy(p -> {
                JsonNode grid = p.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                        .as(p.path("title").asText())
                        .isBetween(1, 24);
                assertThat(p.path("title").asText()).isNotBlank();
            });
        }
        assertThat(titles).containsExactly("Business results", "Pipeline health");
        assertThat(uids).hasSize(2).doesNotContain("");
    }

    @Test
    void shouldPinEveryImage() throws IOException {
        List<String> images = new ArrayList<>();
        ComposeProject.compose().path("services").fields().forEachRemaining(s -> {
            JsonNode service = s.getValue();
            assertThat(service.has("image") || service.has("build"))
                    .as(s.getKey() + " has an image or a build")
                    .isTrue();
            if (service.has("image")) {
                images.add(service.get("image").asText());
            }
        });
        for (String service : SERVICES) {
            String dockerfile = Files.readString(ComposeProject.dockerfile(service));
            Map<String, String> args = new java.util.HashMap<>();
            Matcher arg = ARG.matcher(dockerfile);
            while (arg.find()) {
                args.put(arg.group(1), arg.group(2));
            }
            // A base image is a build argument (FROM ${X}) whose default is the pinned image.
            Matcher from = FROM.matcher(dockerfile);
            while (from.find()) {
                String image = from.group(1);
                assertThat(image).as("FROM in " + service).matches("\\$\\{[A-Z_]+}");
                images.add(args.get(image.substring(2, image.length() - 1)));
            }
        }
        assertThat(images).isNotEmpty().allSatisfy(image -> {
            String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
            assertThat(tag)
                    .as(image + " has a version tag")
                    .isNotBlank()
                    .isNotEqualTo("latest")
                    .matches(".*\\d.*");
        });
    }

    @ParameterizedTest
    @FieldSource("SERVICE_NAMES")
    void shouldOnlySetEnvironmentVariablesTheServiceReads(String service) {
        Map<String, String> env = ComposeProject.environment(service);
        ServiceConfigs.Reading reading = ServiceConfigs.read(service, env);
        Set<String> unknown = new TreeSet<>(env.keySet());
        unknown.removeIf(name -> reading.uses(name)
                || ServiceConfigs.RUNTIME_VARIABLES.get(service).contains(name));
        assertThat(unknown)
                .as("variables of %s that its code never reads (it reads %s)", service, reading.namesRead())
                .isEmpty();
        assertThat(env).containsKey("KAFKA_BOOTSTRAP_SERVERS");
    }

    @ParameterizedTest
    @FieldSource("SERVICE_NAMES")
    void shouldPublishThePortTheServiceListensOn(String service) {
        int port = ServiceConfigs.read(service, ComposeProject.environment(service))
                .port();
        int defaultPort = ServiceConfigs.read(service, Map.of()).port();
        assertThat(port)
                .as("the compose stack keeps the documented default port")
                .isEqualTo(defaultPort);
        assertThat(ComposeProject.publishedPorts(service)).containsEntry(port, port);
        assertThat(Files.exists(ComposeProject.dockerfile(service))).isTrue();
    }

    @Test
    void shouldPublishEveryPortOnLoopbackByDefaultUnderAHostPortVariableOfItsOwn() {
        Map<String, String> variableByPort = new java.util.TreeMap<>();
        ComposeProject.compose()
                .path("services")
                .fields()
                .forEachRemaining(s -> s.getValue().path("ports").forEach(p -> {
                    Matcher port = PUBLISHED_PORT.matcher(p.asText());
                    assertThat(port.matches())
                            .as(s.getKey() + " publishes " + p.asText())
                            .isTrue();
                    assertThat(variableByPort.put(port.group(1), s.getKey() + ":" + port.group(3)))
                            .as(port.group(1) + " used once")
                            .isNull();
                }));
        // The consumer's and the metrics' host ports are the variables run-local.sh offers for the same ports.
        assertThat(variableByPort)
                .containsEntry("HTTP_PORT", "results-consumer:8080")
                .containsEntry("SIMULATOR_METRICS_PORT", "producer-simulator:9401")
                .containsEntry("ANALYTICS_METRICS_PORT", "stream-analytics:9402")
                .containsEntry("SPARK_UI_PORT", "stream-analytics:4040")
                .containsEntry("KAFKA_PORT", "kafka:9092");
        // Tools on the host reach the broker at the address it advertises, on whichever host port it is published.
        assertThat(ComposeProject.service("kafka")
                        .path("environment")
                        .path("KAFKA_ADVERTISED_LISTENERS")
                        .asText())
                .contains("EXTERNAL://localhost:${KAFKA_PORT:-9092}");
    }

    @Test
    void shouldStartTheWholeStackFromTheRootComposeFile() {
        JsonNode root = ComposeProject.yaml(ComposeProject.ROOT_COMPOSE_FILE);
        assertThat(root.path("include").toString()).isEqualTo("[\"deploy/docker-compose.yml\"]");
        assertThat(ROOT.resolve(root.path("include").get(0).asText())).isEqualTo(COMPOSE_FILE);
        assertThat(root.path("name").asText())
                .isEqualTo(ComposeProject.compose().path("name").asText());
    }

    @Test
    void shouldNotStartAFiniteSimulatorRunAgainOnceItHasEndedWell() {
        // on-failure restarts a crash but not an exit 0; unless-stopped and always would send a finite run again.
        assertThat(ComposeProject.service("producer-simulator").path("restart").asText())
                .isEqualTo("on-failure");
    }

    @Test
    void shouldCheckTheAnalyticsHealthEndpointThatNeedsEveryQueryActive() {
        String test = ComposeProject.service("stream-analytics")
                .path("healthcheck")
                .path("test")
                .toString();
        assertThat(test)
                .contains("/dev/tcp/127.0.0.1/9402")
                .contains("GET /health HTTP/1.0")
                .contains("grep -q ' 200 '");
    }

    @Test
    void shouldScrapeEveryServiceOnThePortItListensOn() {
        Map<String, List<String>> targets =
                ComposeProject.prometheusTargets(ComposeProject.yaml(ComposeProject.PROMETHEUS_CONFIG));
        for (String service : SERVICES) {
            int port = ServiceConfigs.read(service, ComposeProject.environment(service))
                    .port();
            assertThat(targets).as("job named after the service").containsEntry(service, List.of(service + ":" + port));
        }
        ComposeProject.prometheusConfigFor(Map.of(), "1s"); // the test rewrite works on this file
        JsonNode prometheus = ComposeProject.service("prometheus");
        assertThat(ComposeProject.mounts("prometheus"))
                .containsEntry("./compose/prometheus/prometheus.yml", "/etc/prometheus/prometheus.yml");
        assertThat(prometheus.path("command").toString()).contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    @Test
    void shouldBeAValidPrometheusConfigForPromtool() throws Exception {
        Promtool.Result check = Promtool.run(
                ComposeProject.DEPLOY, "check", "config", "--syntax-only", ComposeProject.PROMETHEUS_CONFIG.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @ParameterizedTest
    @FieldSource("SERVICE_NAMES")
    void shouldBuildEachServiceImageWithMavenInsideAndRunItsRunnableJar(String service) throws IOException {
        assertThat(ComposeProject.buildContext(service))
                .as("build context is the repository root")
                .isEqualTo(ROOT);
        Path dockerfile = ComposeProject.dockerfile(service);
        String text = Files.readString(dockerfile);
        assertThat(text)
                .containsPattern("(?m)^ARG JDK_IMAGE=eclipse-temurin:17\\.[0-9._]+-jdk\\S*$")
                .containsPattern("(?m)^ARG JRE_IMAGE=eclipse-temurin:17\\.[0-9._]+-jre\\S*$")
                .containsPattern("(?m)^FROM \\$\\{JDK_IMAGE} AS build$")
                .containsPattern("(?m)^FROM \\$\\{JRE_IMAGE}$");

        // The build stage: the wrapper builds this module and what it needs, with the local repository in a cache
        // mount.
        assertThat(text)
                .containsPattern("(?m)^RUN --mount=type=cache,[^\\n]*target=/root/\\.m2 \\\\\n\\s+\\./mvnw -B -q -pl "
                        + Pattern.quote(service) + " -am package -Dmaven.test.skip=true$");
        // Maven reads every module's POM of the reactor; sources only of what is built.
        Set<String> copied = new TreeSet<>();
        Matcher copy = COPY_FROM_CONTEXT.matcher(text);
        while (copy.find()) {
            copied.addAll(List.of(copy.group(1).trim().split("\\s+")));
        }
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            assertThat(copied).as("the POM of module " + module.group(1)).contains(module.group(1) + "/pom.xml");
        }
        assertThat(copied).contains("mvnw", "pom.xml", ".mvn");
        assertThat(copied.stream().filter(c -> c.endsWith("/src/main")))
                .containsExactlyInAnyOrder(
                        "test-support/src/main",
                        "common-schemas/src/main",
                        "service-support/src/main",
                        "embedded-kafka/src/main",
                        service + "/src/main");

        // BuildKit's per-Dockerfile ignore file sends exactly what the build stage copies.
        List<String> ignore = Files.readAllLines(Path.of(dockerfile + ".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
        assertThat(ignore.get(0)).isEqualTo("*");
        List<java.nio.file.PathMatcher> sent = ignore.subList(1, ignore.size()).stream()
                .peek(l -> assertThat(l).startsWith("!"))
                .map(l -> java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + l.substring(1)))
                .toList();
        assertThat(copied)
                .allSatisfy(source -> assertThat(sent.stream().anyMatch(m -> m.matches(Path.of(source))))
                        .as(source + " is sent to the builder")
                        .isTrue());

        // The shade plugin (parent pom) writes ${project.build.directory}/${project.artifactId}.jar in each service
        // module.
        String parentPom = Files.readString(ROOT.resolve("pom.xml"));
        assertThat(parentPom).contains("<outputFile>${project.build.directory}/${project.artifactId}.jar</outputFile>");
        String modulePom = Files.readString(ROOT.resolve(service).resolve("pom.xml"));
        assertThat(modulePom)
                .contains("<artifactId>" + service + "</artifactId>")
                .contains("maven-shade-plugin")
                .contains("<main.class>");
        String shadeOutput = service + "/target/" + service + ".jar";

        Matcher jarCopy = COPY_FROM_BUILD.matcher(text);
        assertThat(jarCopy.find()).as("a COPY of the jar from the build stage").isTrue();
        assertThat(jarCopy.group(1)).isEqualTo("/src/" + shadeOutput);
        String jarInImage = jarCopy.group(2);
        assertThat(text).as("the entrypoint runs the copied jar").contains("-jar " + jarInImage);
        assertThat(text).containsPattern("(?m)^USER (?!root|0\\b)\\S+");
        assertThat(text)
                .containsPattern(
                        "(?m)^EXPOSE " + ServiceConfigs.read(service, Map.of()).port() + "\\b");
        assertThat(text).containsPattern("-Xmx\\d+[mg]");

        Path jar = ROOT.resolve(shadeOutput);
        if (Files.exists(jar) || RequiredProgram.inCi()) {
            try (JarFile runnable = new JarFile(jar.toFile())) {
                assertThat(runnable.getManifest().getMainAttributes().getValue("Main-Class"))
                        .isNotBlank();
                assertThat(runnable.getManifest().getMainAttributes().getValue("Add-Opens"))
                        .contains("java.base/sun.nio.ch");
            }
        }
    }

    @Test
    void shouldBindTheSparkDriverToTheContainerAndPublishItsUi() throws IOException {
        String text = Files.readString(ComposeProject.dockerfile("stream-analytics"));
        assertThat(text).contains("-XX:+IgnoreUnrecognizedVMOptions").containsPattern("(?m)^EXPOSE 9402 4040$");
        // SPARK_LOCAL_IP=127.0.0.1 would bind the UI to the container's own loopback, out of reach of the published
        // port.
        assertThat(text).doesNotContainPattern("(?m)^ENV[^\\n]*SPARK_LOCAL_IP");
        assertThat(ComposeProject.environment("stream-analytics")).doesNotContainKey("SPARK_LOCAL_IP");
        assertThat(ComposeProject.publishedPorts("stream-analytics")).containsEntry(4040, 4040);
    }

    @Test
    void shouldGiveTheResultsConsumerImageNoSparkOrWeatherSettings() throws IOException {
        String text = Files.readString(ComposeProject.dockerfile("results-consumer"));
        // Settings are ENV lines (continued lines included); the consumer runs neither Spark nor the weather source.
        assertThat(text.replaceAll("\\\\\n", " ")).doesNotContainPattern("(?m)^ENV[^\\n]*(SPARK|HADOOP|WEATHER)");
    }

    @Test
    void shouldKeepKafkaDataCheckpointsAndTheDatabaseInNamedVolumes() {
        Set<String> declared = new HashSet<>();
        ComposeProject.compose().path("volumes").fieldNames().forEachRemaining(declared::add);

        assertThat(ComposeProject.mounts("kafka"))
                .containsEntry("kafka-data", ComposeProject.environment("kafka").get("KAFKA_LOG_DIRS"));
        Map<String, String> analytics = ComposeProject.environment("stream-analytics");
        Map<String, String> simulator = ComposeProject.environment("producer-simulator");
        String checkpoints = volumeAt("stream-analytics", analytics.get("CHECKPOINT_DIR"));
        String analyticsWeather = volumeAt("stream-analytics", analytics.get("WEATHER_DIR"));
        String simulatorWeather = volumeAt("producer-simulator", simulator.get("WEATHER_DIR"));
        assertThat(analyticsWeather)
                .as("one weather volume shared by simulator and analytics")
                .isEqualTo(simulatorWeather);
        assertThat(ComposeProject.mounts("postgres")).containsEntry("postgres-data", "/var/lib/postgresql/data");
        assertThat(declared).contains("kafka-data", checkpoints, analyticsWeather, "postgres-data");
    }

    private static String volumeAt(String service, String containerPath) {
        return ComposeProject.mounts(service).entrySet().stream()
                .filter(e -> e.getValue().equals(containerPath))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError(service + " mounts no volume at " + containerPath));
    }

    @Test
    void shouldPointTheServicesAtTheComposeKafkaAndDatabase() {
        Map<String, String> kafka = ComposeProject.environment("kafka");
        String internal = List.of(kafka.get("KAFKA_ADVERTISED_LISTENERS").split(",")).stream()
                .filter(l -> l.startsWith(kafka.get("KAFKA_INTER_BROKER_LISTENER_NAME") + "://"))
                .map(l -> l.substring(l.indexOf("://") + 3))
                .findFirst()
                .orElseThrow();
        for (String service : SERVICES) {
            assertThat(ComposeProject.environment(service)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", internal);
            assertThat(ComposeProject.service(service).path("depends_on").has("kafka"))
                    .isTrue();
        }
        Map<String, String> consumer = ComposeProject.environment("results-consumer");
        Map<String, String> postgres = ComposeProject.environment("postgres");
        assertThat(consumer.get("RESULTS_DB_URL"))
                .isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
        assertThat(consumer.get("RESULTS_DB_USER")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(consumer.get("RESULTS_DB_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
    }

    @Test
    void shouldGiveEveryServiceAHealthCheck() {
        ComposeProject.compose()
                .path("services")
                .fields()
                .forEachRemaining(s -> assertThat(
                                s.getValue().path("healthcheck").path("test").isArray())
                        .as(s.getKey())
                        .isTrue());
    }

    @Test
    void shouldProvisionTheDataSourcesAndDashboardsGrafanaIsGiven() {
        Map<String, String> mounts = ComposeProject.mounts("grafana");
        assertThat(mounts).containsEntry("./compose/grafana/provisioning", "/etc/grafana/provisioning");
        String dashboardsInContainer = mounts.get("./compose/grafana/dashboards");
        JsonNode providers =
                ComposeProject.yaml(ComposeProject.GRAFANA.resolve("provisioning/dashboards/dashboards.yml"));
        assertThat(providers
                        .path("providers")
                        .get(0)
                        .path("options")
                        .path("path")
                        .asText())
                .isEqualTo(dashboardsInContainer);
        String home = ComposeProject.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(ComposeProject.GRAFANA
                        .resolve("dashboards")
                        .resolve(Path.of(dashboardsInContainer).relativize(Path.of(home))))
                .exists();

        JsonNode datasources =
                ComposeProject.yaml(ComposeProject.GRAFANA.resolve("provisioning/datasources/datasources.yml"));
        Map<String, String> typeByUid = new java.util.HashMap<>();
        datasources
                .path("datasources")
                .forEach(d ->
                        typeByUid.put(d.path("uid").asText(), d.path("type").asText()));
        assertThat(typeByUid)
                .containsEntry("prometheus", "prometheus")
                .containsEntry("results-db", "grafana-postgresql-datasource");
        datasources.path("datasources").forEach(d -> {
            if (d.path("type").asText().equals("prometheus")) {
                assertThat(d.path("url").asText())
                        .isEqualTo("http://prometheus:"
                                + ComposeProject.publishedPorts("prometheus")
                                        .keySet()
                                        .iterator()
                                        .next());
            } else {
                Map<String, String> postgres = ComposeProject.environment("postgres");
                assertThat(d.path("url").asText()).isEqualTo("postgres:5432");
                assertThat(d.path("jsonData").path("database").asText()).isEqualTo(postgres.get("POSTGRES_DB"));
                // Grafana reads with the read-only role the postgres image's init script creates, not as the owner.
                assertThat(d.path("user").asText())
                        .isEqualTo(RunningServices.GRAFANA_READER)
                        .isNotEqualTo(postgres.get("POSTGRES_USER"));
                assertThat(ComposeProject.mounts("postgres"))
                        .containsEntry(
                                "./compose/postgres/grafana-reader.sql",
                                "/docker-entrypoint-initdb.d/grafana-reader.sql");
                String passwordVariable =
                        d.path("secureJsonData").path("password").asText().replaceAll("[${}]", "");
                assertThat(passwordVariable).isEqualTo("GRAFANA_DB_PASSWORD");
                assertThat(ComposeProject.environment("grafana").get(passwordVariable))
                        .isNotBlank()
                        .isEqualTo(postgres.get(passwordVariable));
            }
        });

        for (Path file : ComposeProject.dashboardFiles()) {
            for (JsonNode panel : ComposeProject.panels(ComposeProject.json(file))) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(panel.path("targets").size())
                        .as(panel.path("title").asText())
                        .isPositive();
                panel.path("targets")
                        .forEach(t -> assertThat(typeByUid)
                                .as("data source of " + panel.path("title").asText())
                                .containsEntry(
                                        t.path("datasource").path("uid").asText(),
                                        t.path("datasource").path("type").asText()));
            }
        }
    }

    @Test
    void shouldShowTheDailyWeatherOverDaysWhateverTheDashboardsRange() {
        JsonNode dashboard = ComposeProject.json(ComposeProject.GRAFANA.resolve("dashboards/business-results.json"));
        JsonNode weather = ComposeProject.panels(dashboard).stream()
                .filter(p -> p.path("title").asText().equals("Daily weather"))
                .findFirst()
                .orElseThrow();
        // A dashboard range of hours holds at most one daily window; the simulator writes three days of history.
        assertThat(dashboard.path("time").path("from").asText()).isEqualTo("now-6h");
        assertThat(weather.path("timeFrom").asText()).isEqualTo("7d");
        assertThat(weather.path("targets").get(0).path("rawSql").asText()).contains("pipeline = 'weather_daily'");
    }

    @Test
    void shouldDropTheBundledKafkaInTheExternalKafkaOverride() {
        JsonNode override =
                ComposeProject.yaml(ComposeProject.EXTERNAL_KAFKA_FILE).path("services");
        assertThat(override.path("kafka").path("profiles").isArray()).isTrue();
        for (String service : SERVICES) {
            assertThat(override.path(service)
                            .path("environment")
                            .path("KAFKA_BOOTSTRAP_SERVERS")
                            .asText())
                    .startsWith("${KAFKA_BOOTSTRAP_SERVERS:?");
            assertThat(override.path(service).path("depends_on").has("kafka")).isFalse();
            // Whatever else a service waited for in the main file, it still waits for (except kafka).
            Set<String> dependsOn = new TreeSet<>();
            ComposeProject.service(service).path("depends_on").fieldNames().forEachRemaining(dependsOn::add);
            dependsOn.remove("kafka");
            Set<String> overridden = new TreeSet<>();
            override.path(service).path("depends_on").fieldNames().forEachRemaining(overridden::add);
            assertThat(overridden).isEqualTo(dependsOn);
        }
    }
}
