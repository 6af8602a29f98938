package io.streamanalytics.consumer;

import static io.streamanalytics.consumer.TestResults.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.consumer.web.HttpApi;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.testing.IntegrationTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that stall, on raw sockets, against the consumer's HTTP server: one that sends half a request, one that
 * opens the event stream and stops reading. Meanwhile scrapes, health checks and another event stream are timed
 * with waits far below any of the server's timeouts, so a server that waited for the stalled client fails them.
 */
@IntegrationTest
class StalledHttpClientsTest {

    static final Duration BOUND = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(4);
    static final int MAX_STREAMS = 3;
    static final String SCOTSMEN = "scotsmen_per_district";
    static final Instant WINDOW_START = Instant.parse("2036-01-01T00:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(3);

    static ResultsConsumerService service;
    static HttpTestClient http;
    static KafkaProducer<String, String> producer;
    static final HttpClient timed =
            HttpClient.newBuilder().connectTimeout(BOUND).build();

    @BeforeAll
    static void start() throws InterruptedException {
        Map<String, String> env = new HashMap<>(TestKafka.consumerEnvironment());
        env.put("STREAM_MAX_CLIENTS", Integer.toString(MAX_STREAMS));
        env.put("HTTP_IDLE_TIMEOUT", IDLE_TIMEOUT.toSeconds() + "s");
        producer = TestKafka.producer();
        service = ResultsConsumerService.start(ResultsConsumerConfig.fromEnvironment(env));
        http = new HttpTestClient(service.httpPort());
        await().atMost(WAIT).until(service::isReady);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        producer.close();
    }

    @Test
    void shouldAnswerScrapesAndHealthChecksWhileAClientHoldsAHalfSentRequest() throws Exception {
        try (Socket stalled = halfRequest("/metrics")) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> metrics = timedGet("/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body()).contains("results_consumer_ready 1.0");
                assertThat(timedGet("/health/ready").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void shouldCloseAHalfSentRequestAfterTheIdleTimeout() throws Exception {
        try (Socket stalled = halfRequest("/metrics")) {
            stalled.setSoTimeout((int) IDLE_TIMEOUT.multipliedBy(3).toMillis());
            long start = System.nanoTime();
            byte[] answer;
            try {
                answer = stalled.getInputStream().readAllBytes();
            } catch (SocketException e) {
                answer = new byte[0]; // reset: closed all the same
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            // Jetty may answer 408 before closing; what matters is that it does not wait for ever.
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("200 OK");
            assertThat(waited).isLessThan(IDLE_TIMEOUT.plusSeconds(3));
        }
    }

    @Test
    void shouldDropAnEventStreamThatStopsReadingWithoutDelayingTheOthers() throws Exception {
        await().atMost(WAIT).until(() -> service.streamClients() == 0);
        Socket stalled = new Socket();
        // A small window: the server's writes to this client block after a few events.
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", service.httpPort()));
        stalled.getOutputStream()
                .write(("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        HttpResponse<InputStream> reading = openStream();
        try (stalled) {
            await().atMost(WAIT).until(() -> service.streamClients() == 2);
            CompletableFuture<String> marker = CompletableFuture.supplyAsync(() -> dataOf(reading.body(), "Viseu"));

            // 300 results of 90 000 characters: far more than the stalled client's socket buffers and queue hold.
            String padding = "x".repeat(90_000);
            for (int i = 0; i < 300; i++) {
                sendScotsmen("Aveiro", i, padding);
            }
            sendScotsmen("Viseu", 77, "");

            String data = marker.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(Json.MAPPER.readTree(data))
                    .anySatisfy(
                            r -> assertThat(r.get("total_new_scotsmen").asInt()).isEqualTo(77));
            await().atMost(WAIT).until(() -> service.streamClients() == 1);
            assertThat(timedGet("/metrics").statusCode()).isEqualTo(200);
        } finally {
            reading.body().close();
        }
    }

    @Test
    void shouldRefuseEventStreamsBeyondTheCap() throws Exception {
        await().atMost(WAIT).until(() -> service.streamClients() == 0);
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_STREAMS; i++) {
                open.add(openStream());
            }
            await().atMost(WAIT).until(() -> service.streamClients() == MAX_STREAMS);

            HttpResponse<String> refused = timedGet("/api/stream");

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(refused.body()).get("error").asText())
                    .isEqualTo("too many event streams are open; try again later");
        } finally {
            for (HttpResponse<InputStream> stream : open) {
                stream.body().close();
            }
        }
        await().atMost(WAIT).until(() -> service.streamClients() == 0);
    }

    @Test
    void shouldStopAResultPageBeforeItsSizeBoundAndSayItIsTruncated() throws Exception {
        // 90 rows of about 95 000 characters: more than the bound, far fewer than the row limit.
        String padding = "y".repeat(95_000);
        Instant first = WINDOW_START.plus(Duration.ofDays(1));
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            Instant window = first.plus(WINDOW.multipliedBy(i));
            String value = TestResults.value(
                    SCOTSMEN,
                    window,
                    WINDOW,
                    fields("district", "Beja", "total_new_scotsmen", i, "padding", padding),
                    window);
            TestKafka.send(
                    producer, Topics.results(SCOTSMEN), TestResults.key(SCOTSMEN, window, List.of("Beja")), value);
            newestFirst.add(0, value);
        }
        await().atMost(WAIT)
                .until(() -> http.get("/api/results/" + SCOTSMEN + "?district=Beja&limit=1&from="
                                + first.plus(WINDOW.multipliedBy(89)))
                        .body()
                        .contains("\"count\":1"));
        // The newest rows whose payloads, joined by commas, fit in the bound.
        int fitting = 0;
        for (int length = 0; length + newestFirst.get(fitting).length() + 1 <= HttpApi.MAX_RESPONSE_CHARS; fitting++) {
            length += newestFirst.get(fitting).length() + 1;
        }

        HttpResponse<String> page = http.get("/api/results/" + SCOTSMEN + "?district=Beja&limit=100");

        JsonNode json = Json.MAPPER.readTree(page.body());
        assertThat(json.get("truncated").asBoolean()).isTrue();
        assertThat(json.get("count").asInt()).isEqualTo(fitting).isLessThan(90);
        assertThat(json.get("results").get(0).get("total_new_scotsmen").asInt()).isEqualTo(89);
        assertThat(page.body().length()).isLessThan(HttpApi.MAX_RESPONSE_CHARS + 200);
    }

    @Test
    void shouldSendSecurityHeadersWithTheDashboardAndTheApi() throws Exception {
        for (String path : List.of("/", "/api/pipelines")) {
            HttpResponse<String> response = timedGet(path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(
                            csp -> assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'"));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        }
    }

    private static Socket halfRequest(String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", service.httpPort());
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    private static HttpResponse<String> timedGet(String path) throws Exception {
        return timed.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                        .timeout(BOUND)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<InputStream> openStream() throws Exception {
        return http.client()
                .send(
                        HttpRequest.newBuilder(http.uri("/api/stream"))
                                .header("Accept", "text/event-stream")
                                .timeout(BOUND)
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads the stream until a results event whose data contains {@code text}; returns that data. */
    private static String dataOf(InputStream stream, String text) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        try {
            String event = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    event = line.substring("event:".length()).trim();
                } else if (line.startsWith("data:") && "results".equals(event) && line.contains(text)) {
                    return line.substring("data:".length()).trim();
                }
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sendScotsmen(String district, int total, String padding) {
        TestKafka.send(
                producer,
                Topics.results(SCOTSMEN),
                TestResults.key(SCOTSMEN, WINDOW_START, List.of(district)),
                TestResults.value(
                        SCOTSMEN,
                        WINDOW_START,
                        WINDOW,
                        fields("district", district, "event_count", 1, "total_new_scotsmen", total, "padding", padding),
                        Instant.now()));
    }
}
