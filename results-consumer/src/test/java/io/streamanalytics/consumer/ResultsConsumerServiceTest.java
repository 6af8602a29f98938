package io.streamanalytics.consumer;

import static io.streamanalytics.consumer.TestResults.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.testing.IntegrationTest;
import io.streamanalytics.testing.Promtool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer end to end on a real (embedded) broker: what goes into the results topics comes out of the REST
 * API, the event stream and the metrics. The tests of this class share one broker and one consumer, so each uses its
 * own windows or its own pipeline; other classes run in JVMs, and so on brokers, of their own.
 */
@IntegrationTest
class ResultsConsumerServiceTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SCOTSMEN = "scotsmen_per_district";
    static final Instant DAY = Instant.parse("2031-01-01T00:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(3);

    static ResultsConsumerService service;
    static HttpTestClient http;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() throws InterruptedException {
        producer = TestKafka.producer();
        service = ResultsConsumerService.start(ResultsConsumerConfig.fromEnvironment(TestKafka.consumerEnvironment()));
        http = new HttpTestClient(service.httpPort());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        producer.close();
    }

    @Test
    void shouldServeTheLatestValueOfEachResultFilteredByGroupAndTime() {
        Instant w0 = DAY.plus(Duration.ofHours(1));
        Instant w1 = w0.plus(WINDOW);
        sendScotsmen("Lisboa", w0, 1);
        sendScotsmen("Lisboa", w0, 3);
        sendScotsmen("Porto", w0, 5);
        sendScotsmen("Lisboa", w1, 7);

        String lisboa =
                "/api/results/" + SCOTSMEN + "?district=Lisboa&from=" + w0 + "&to=" + DAY.plus(Duration.ofDays(1));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(totals(http.json(lisboa))).containsExactly(7, 3));
        JsonNode newest = http.json(lisboa).get("results").get(0);
        assertThat(newest.get("window_start").asText()).isEqualTo(w1.toString());
        assertThat(newest.get("window_end").asText()).isEqualTo(w1.plus(WINDOW).toString());
        assertThat(http.json("/api/results/" + SCOTSMEN + "?from=" + w0 + "&to=" + w1)
                        .get("count")
                        .asInt())
                .isEqualTo(2);
        assertThat(http.json("/api/results/" + SCOTSMEN + "?from=" + w0 + "&to=" + w1 + "&limit=1")
                        .get("truncated")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void shouldServeTheLatestWindowOfEachGroup() {
        Instant w0 = DAY.plus(Duration.ofHours(20));
        sendScotsmen("Faro", w0, 2);
        sendScotsmen("Faro", w0.plus(WINDOW), 4);

        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> faro = new ArrayList<>();
            http.json("/api/results/" + SCOTSMEN + "/latest").get("results").forEach(r -> {
                if (r.get("district").asText().equals("Faro")) {
                    faro.add(r);
                }
            });
            assertThat(faro)
                    .singleElement()
                    .satisfies(
                            r -> assertThat(r.get("total_new_scotsmen").asInt()).isEqualTo(4));
        });
    }

    @Test
    void shouldStoreAndServeAPipelineOutsideTheCatalogueGroupedByItsTextFields() {
        String topic = Topics.results("sensor_max");
        TestKafka.send(
                producer,
                topic,
                "sensor_max|" + DAY + "|s1",
                TestResults.value("sensor_max", DAY, WINDOW, fields("sensor", "s1", "max", 4.5), Instant.now()));
        TestKafka.send(
                producer,
                topic,
                "sensor_max|" + DAY + "|s2",
                TestResults.value("sensor_max", DAY, WINDOW, fields("sensor", "s2", "max", 1.5), Instant.now()));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                http.json("/api/results/sensor_max?sensor=s1").get("results"))
                        .singleElement()
                        .satisfies(r -> assertThat(r.get("max").asDouble()).isEqualTo(4.5)));
        JsonNode pipeline = pipeline("sensor_max");
        assertThat(pipeline.get("row_count").asInt()).isEqualTo(2);
        assertThat(pipeline.get("catalogued").asBoolean()).isFalse();
        assertThat(pipeline.get("group_fields").toString()).isEqualTo("[\"sensor\"]");
    }

    @Test
    void shouldCountAndSampleMalformedResultsAndDeadLettersAndCarryOn() {
        // The other tests of this class leave problems on the topics: counted from here, once those are read.
        await().atMost(WAIT).until(service::isReady);
        long malformedBefore = http.json("/api/problems")
                .get("malformed_results")
                .get("count_since_start")
                .asLong();
        long deadLettersBefore = http.json("/api/problems")
                .get("dead_letters")
                .get("count_since_start")
                .asLong();
        String topic = Topics.results("malformed_probe");
        TestKafka.send(producer, topic, "k1", "not json");
        TestKafka.send(
                producer, topic, "k2", "{\"pipeline\":\"malformed_probe\",\"window_end\":\"2031-01-01T00:03:00Z\"}");
        // The envelope as JSON, not through the DeadLetter record: the wire format is the contract (including the
        // newer raw_bytes and raw_truncated), and this test then holds whichever version of the record is built.
        TestKafka.send(
                producer,
                Topics.DEAD_LETTERS,
                null,
                "{\"source_topic\":\"voters\",\"partition\":2,\"offset\":41,"
                        + "\"raw\":\"{\\\"gender\\\":\",\"raw_bytes\":10,\"raw_truncated\":false,\"raw_encoding\":\"utf-8\","
                        + "\"error\":\"not JSON\",\"seen_at\":\"2031-01-01T00:00:00Z\"}");
        TestKafka.send(
                producer,
                topic,
                "malformed_probe|" + DAY,
                TestResults.value("malformed_probe", DAY, WINDOW, fields("value", 1), Instant.now()));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(http.json("/api/results/malformed_probe").get("count").asInt())
                    .isEqualTo(1);
            assertThat(http.json("/api/problems")
                            .get("dead_letters")
                            .get("count_since_start")
                            .asLong())
                    .isEqualTo(deadLettersBefore + 1);
        });
        JsonNode problems = http.json("/api/problems");
        JsonNode malformed = problems.get("malformed_results");
        assertThat(malformed.get("count_since_start").asLong()).isEqualTo(malformedBefore + 2);
        assertThat(malformed
                        .get("recent")
                        .get(malformed.get("recent").size() - 1)
                        .get("error")
                        .asText())
                .isEqualTo("missing window_start");
        JsonNode deadLetters = problems.get("dead_letters").get("recent");
        JsonNode deadLetter = deadLetters.get(deadLetters.size() - 1);
        assertThat(deadLetter.get("source_topic").asText()).isEqualTo("voters");
        assertThat(deadLetter.get("raw").asText()).isEqualTo("{\"gender\":");
        assertThat(deadLetter.get("raw_bytes").asLong()).isEqualTo(10);
        // An uncatalogued results topic is no label of its own: any topic name would be one more time series.
        assertThat(http.get("/metrics").body())
                .contains("results_consumer_dead_letters_total{source_topic=\"voters\"} 1.0")
                .contains("results_consumer_malformed_results_total{topic=\"other\"}")
                .doesNotContain("malformed_results_total{topic=\"results.malformed_probe\"}");
    }

    @Test
    void shouldReportLiveAndReadyOnceCaughtUp() {
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(http.get("/health/ready").statusCode()).isEqualTo(200));
        assertThat(http.json("/health/ready").get("status").asText()).isEqualTo("READY");
    }

    @Test
    void shouldPushEachMaterialisedResultToTheEventStream() throws Exception {
        // Caught up first: the backlog of this class's other tests would otherwise crowd the stream.
        await().atMost(WAIT).until(service::isReady);
        HttpRequest request = HttpRequest.newBuilder(http.uri("/api/stream"))
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<InputStream> response = http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        try {
            await().atMost(WAIT).until(() -> service.streamClients() == 1);
            Instant window = DAY.plus(Duration.ofHours(22));
            sendScotsmen("Braga", window, 11);

            CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
                try {
                    String event = null;
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("event:")) {
                            event = line.substring("event:".length()).trim();
                        } else if (line.startsWith("data:") && "results".equals(event) && line.contains("Braga")) {
                            return line.substring("data:".length()).trim();
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonNode results = Json.MAPPER.readTree(data.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.get("district").asText()).isEqualTo("Braga");
                assertThat(r.get("total_new_scotsmen").asInt()).isEqualTo(11);
                assertThat(r.get("window_start").asText()).isEqualTo(window.toString());
            });
        } finally {
            // The stream itself, not the reader: a reader blocked in readLine holds the reader's lock.
            response.body().close();
        }
    }

    @Test
    void shouldPublishAnOpenApiDescription() {
        HttpResponse<String> response = http.get("/api/openapi.yaml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("openapi: 3.").contains("/api/results/{pipeline}/latest:");
    }

    @Test
    void shouldExposeMetricsThatPromtoolAcceptsWithoutWarnings() throws Exception {
        Instant window = DAY.plus(Duration.ofHours(23));
        sendScotsmen("Leiria", window, 13);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(http.json("/api/results/" + SCOTSMEN + "?district=Leiria")
                                .get("count")
                                .asInt())
                        .isEqualTo(1));

        HttpResponse<String> metrics = http.get("/metrics");

        assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body())
                .contains("results_consumer_materialised_total{pipeline=\"scotsmen_per_district\"}")
                .contains("results_consumer_lag_records{partition=\"0\",topic=\"results.scotsmen_per_district\"}")
                .contains("results_consumer_end_to_end_delay_seconds_bucket{le=\"0.5\"}")
                .contains("results_consumer_db_upsert_seconds_count")
                .contains("results_consumer_district_latest{district=\"Leiria\",metric=\"total_new_scotsmen\","
                        + "pipeline=\"scotsmen_per_district\"} 13.0")
                .contains("results_consumer_ready 1.0");
        assertThat(Promtool.checkMetrics(metrics.body())).isEmpty();
    }

    private JsonNode pipeline(String name) {
        for (JsonNode pipeline : http.json("/api/pipelines").get("pipelines")) {
            if (pipeline.get("name").asText().equals(name)) {
                return pipeline;
            }
        }
        throw new AssertionError("no pipeline " + name + " in /api/pipelines");
    }

    private static List<Integer> totals(JsonNode page) {
        List<Integer> totals = new ArrayList<>();
        page.get("results").forEach(r -> totals.add(r.get("total_new_scotsmen").asInt()));
        return totals;
    }

    static void sendScotsmen(String district, Instant windowStart, int total) {
        TestKafka.send(
                producer,
                Topics.results(SCOTSMEN),
                TestResults.key(SCOTSMEN, windowStart, List.of(district)),
                TestResults.scotsmen(windowStart, district, total, Instant.now()));
    }
}
