package io.streamanalytics.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metrics endpoint of the simulator and the analytics, against clients that misbehave on real sockets. */
class MetricsServerTest {

    /** Far below the connection deadline: a scrape that waited for a stalled client would miss it. */
    static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).build();
    private PrometheusMeterRegistry registry;
    private MetricsServer server;

    @BeforeEach
    void start() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("stall_probe").increment(3);
        server = MetricsServer.start(registry, 0);
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    @Test
    void shouldAnswerEveryScrapeWhileClientsHoldHalfSentRequests() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            // As many stalled clients as there are workers but one: the last worker keeps serving.
            for (int i = 0; i < MetricsServer.WORKERS - 1; i++) {
                stalled.add(halfRequest());
            }
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = scrape("GET");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).contains(MetricsServer.CONTENT_TYPE);
                assertThat(response.body()).contains("stall_probe_total 3.0");
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void shouldCloseAConnectionWhoseRequestNeverCompletesAfterTheDeadline() throws Exception {
        try (Socket socket = halfRequest()) {
            socket.setSoTimeout(
                    (int) MetricsServer.CONNECTION_DEADLINE.multipliedBy(3).toMillis());
            long start = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (SocketException e) {
                read = -1; // reset by the server: closed all the same
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(read).isEqualTo(-1);
            assertThat(waited).isLessThan(MetricsServer.CONNECTION_DEADLINE.plusSeconds(2));
        }
    }

    @Test
    void shouldServeOnlyGetAndHeadOfMetrics() throws Exception {
        assertThat(scrape("HEAD").statusCode()).isEqualTo(200);
        assertThat(scrape("HEAD").body()).isEmpty();
        assertThat(scrape("POST").statusCode()).isEqualTo(405);
        HttpResponse<String> other = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/other"))
                        .timeout(SCRAPE_TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAnswerARequestHeadThatIsTooLongWithBadRequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) SCRAPE_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /metrics HTTP/1.1\r\nX-Long: " + "x".repeat(MetricsServer.MAX_REQUEST_HEAD_BYTES)
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n");
        }
    }

    @Test
    void shouldServeTheJvmMetersBesideTheServicesOwn() throws Exception {
        String body = scrape("GET").body();
        assertThat(body)
                .contains("stall_probe_total 3.0")
                .contains("jvm_memory_used_bytes{area=\"heap\"")
                .contains("jvm_gc_max_data_size_bytes ")
                .contains("jvm_threads_live_threads ")
                .contains("jvm_classes_loaded_classes ")
                .contains("process_cpu_usage ")
                .contains("process_uptime_seconds ");
    }

    @Test
    void shouldNotServeHealthWithoutAHealthCheck() throws Exception {
        assertThat(get(MetricsServer.HEALTH_PATH).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAnswerHealthyOnlyWhileEveryPartIsUp() throws Exception {
        Set<String> up = ConcurrentHashMap.newKeySet();
        up.addAll(List.of("scotsmen_per_district", "weather_daily"));
        server.serveHealth(List.of("scotsmen_per_district", "weather_daily"), up::contains);

        HttpResponse<String> healthy = get(MetricsServer.HEALTH_PATH);
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(healthy.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(healthy.body())
                .isEqualTo("{\"status\":\"UP\",\"up\":[\"scotsmen_per_district\",\"weather_daily\"],\"down\":[]}\n");

        up.remove("weather_daily");
        HttpResponse<String> down = get(MetricsServer.HEALTH_PATH);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body())
                .isEqualTo("{\"status\":\"DOWN\",\"up\":[\"scotsmen_per_district\"],\"down\":[\"weather_daily\"]}\n");

        up.add("weather_daily");
        assertThat(get(MetricsServer.HEALTH_PATH).statusCode())
                .as("up again once the part is back")
                .isEqualTo(200);
        assertThat(get(MetricsServer.PATH).body()).contains("stall_probe_total 3.0");
    }

    @Test
    void shouldAnswerDownWhenTheHealthCheckFails() throws Exception {
        server.serveHealth(List.of("broken"), part -> {
            throw new IllegalStateException("no session");
        });

        HttpResponse<String> down = get(MetricsServer.HEALTH_PATH);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body())
                .isEqualTo(
                        "{\"status\":\"DOWN\",\"error\":\"the health check failed: java.lang.IllegalStateException: no session\"}\n");
    }

    @Test
    void shouldAnswerDownWithinTheTimeoutAndKeepServingScrapesWhileAHealthCheckBlocks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.serveHealth(List.of("locked"), part -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        });
        try {
            // More health requests than workers: each gives up on the one blocked evaluation and frees its worker.
            for (int i = 0; i < MetricsServer.WORKERS + 2; i++) {
                long start = System.nanoTime();
                HttpResponse<String> down =
                        get(MetricsServer.HEALTH_PATH, MetricsServer.HEALTH_TIMEOUT.plus(SCRAPE_TIMEOUT));
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isLessThan(MetricsServer.HEALTH_TIMEOUT.plusSeconds(1));
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body())
                        .isEqualTo(
                                "{\"status\":\"DOWN\",\"error\":\"the health check did not answer within 2000 ms\"}\n");
                assertThat(scrape("GET").statusCode()).isEqualTo(200);
            }
        } finally {
            release.countDown();
        }
        assertThat(get(MetricsServer.HEALTH_PATH).statusCode())
                .as("healthy once the check answers")
                .isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, SCRAPE_TIMEOUT);
    }

    private HttpResponse<String> get(String path, Duration timeout) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .timeout(timeout)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Socket halfRequest() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.getOutputStream()
                .write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    private HttpResponse<String> scrape(String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + MetricsServer.PATH))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(SCRAPE_TIMEOUT)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }
}
