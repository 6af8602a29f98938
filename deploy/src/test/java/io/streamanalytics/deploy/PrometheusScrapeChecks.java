package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.testing.RequiredProgram;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's /usr/bin/prometheus) with the repository's prometheus.yml, only its targets rewritten
 * to where the services run here, scrapes the running services and answers PromQL about each of them; every PromQL
 * expression of the dashboards is accepted by it, and it loads and evaluates every alerting rule without an error.
 */
abstract class PrometheusScrapeChecks {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One metric of each service that a healthy, running service has. */
    private static final Map<String, String> SERVICE_QUERIES = Map.of(
            "producer-simulator", "sum(simulator_events_sent_total{job=\"producer-simulator\"}) > 0",
            "stream-analytics", "sum(analytics_query_active{job=\"stream-analytics\"}) > 0",
            "results-consumer", "sum(results_consumer_materialised_total{job=\"results-consumer\"}) > 0");

    @TempDir
    Path dir;

    @Test
    void shouldScrapeEveryServiceWithTheRepositoryConfig(RunningServices services) throws Exception {
        RequiredProgram.require(PROMETHEUS, "apt-get install -y prometheus");
        assertThat(services.notStarted())
                .as("services that could not be started")
                .isEmpty();
        int port = RunningServices.freePort();
        Map<String, String> targets = new LinkedHashMap<>();
        for (String service : ComposeProject.SERVICES) {
            targets.put(service, "127.0.0.1:" + services.port(service));
        }
        targets.put("prometheus", "127.0.0.1:" + port);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, ComposeProject.prometheusConfigFor(targets, "2s"));

        Path log = dir.resolve("prometheus.log");
        Process prometheus = new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
            for (String job : ComposeProject.SERVICES) {
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            assertThat(prometheus.isAlive())
                                    .as("prometheus running; log:%n%s", Files.readString(log))
                                    .isTrue();
                            assertThat(vector(api, "up{job=\"" + job + "\"} == 1"))
                                    .as("%s is up; scrape: %s", job, target(port, job))
                                    .hasSize(1);
                        });
            }
            // Data flows end to end within a few minutes on a small machine.
            for (Map.Entry<String, String> query : SERVICE_QUERIES.entrySet()) {
                await().atMost(Duration.ofMinutes(4))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> {
                            services.assertAlive();
                            assertThat(vector(api, query.getValue()))
                                    .as(query.getValue())
                                    .hasSize(1);
                        });
            }
            for (String expression : ComposeProject.promQlExpressions()) {
                JsonNode answer = query(api, expression);
                assertThat(answer.path("status").asText())
                        .as("Prometheus accepts %s: %s", expression, answer)
                        .isEqualTo("success");
            }
            // Every rule loaded and evaluated on the real series (a rule that fails to evaluate has health "err").
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        Map<String, String> healthByAlert = new java.util.TreeMap<>();
                        get("http://127.0.0.1:" + port + "/api/v1/rules?type=alert")
                                .path("data")
                                .path("groups")
                                .forEach(g -> g.path("rules")
                                        .forEach(r -> healthByAlert.put(
                                                r.path("name").asText(),
                                                r.path("health").asText() + " "
                                                        + r.path("lastError").asText())));
                        Map<String, String> expected = new java.util.TreeMap<>();
                        ComposeProject.alertExpressions().keySet().forEach(alert -> expected.put(alert, "ok "));
                        assertThat(healthByAlert).isEqualTo(expected);
                    });
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What Prometheus says about its scrapes of a job: health and last error. */
    private static String target(int port, String job) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/targets?state=active"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> found = new java.util.ArrayList<>();
        ComposeProject.JSON
                .readTree(response.body())
                .path("data")
                .path("activeTargets")
                .forEach(t -> {
                    if (t.path("labels").path("job").asText().equals(job)) {
                        found.add(t.path("scrapeUrl").asText() + " "
                                + t.path("health").asText() + " "
                                + t.path("lastError").asText());
                    }
                });
        return found.toString();
    }

    private static List<JsonNode> vector(String api, String promQl) throws IOException, InterruptedException {
        JsonNode answer = query(api, promQl);
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("success");
        List<JsonNode> series = new java.util.ArrayList<>();
        answer.path("data").path("result").forEach(series::add);
        return series;
    }

    private static JsonNode query(String api, String promQl) throws IOException, InterruptedException {
        return get(api + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return ComposeProject.JSON.readTree(response.body());
    }
}
