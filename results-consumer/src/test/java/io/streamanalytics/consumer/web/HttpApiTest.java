package io.streamanalytics.consumer.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamanalytics.consumer.HttpTestClient;
import io.streamanalytics.consumer.TestResults;
import io.streamanalytics.consumer.ingest.IngestStatus;
import io.streamanalytics.consumer.ingest.ProblemSample;
import io.streamanalytics.consumer.ingest.Readiness;
import io.streamanalytics.consumer.ingest.ResultParser;
import io.streamanalytics.consumer.store.Database;
import io.streamanalytics.consumer.store.PipelineCatalog;
import io.streamanalytics.consumer.store.ResultRecord;
import io.streamanalytics.consumer.store.ResultStore;
import io.streamanalytics.consumer.store.SourcePosition;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.DeadLetter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP routes over a store on in-memory H2 holding known results, and a poll-loop status the test sets: what each
 * route answers, without Kafka. ResultsConsumerServiceTest serves the same routes with the whole service behind them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiTest {

    private static final String SCOTSMEN = "scotsmen_per_district";
    private static final String TOPIC = "results." + SCOTSMEN;
    private static final Instant T0 = Instant.parse("2024-12-03T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(3);

    private final SettableStatus status = new SettableStatus();
    private HttpApi api;
    private HttpTestClient http;

    /** The poll loop as the routes see it, set by each test. */
    private static final class SettableStatus implements IngestStatus {
        volatile boolean alive = true;
        volatile Readiness.State readiness = new Readiness.State(Readiness.Status.READY, null);
        final ProblemSample deadLetters = new ProblemSample(10);
        final ProblemSample malformed = new ProblemSample(10);

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public Readiness.State readiness() {
            return readiness;
        }

        @Override
        public ProblemSample deadLetters() {
            return deadLetters;
        }

        @Override
        public ProblemSample malformedResults() {
            return malformed;
        }
    }

    @BeforeAll
    void start() throws Exception {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Database.migrate(database);
        PipelineCatalog catalog = new PipelineCatalog();
        ResultStore store = new ResultStore(database, catalog);
        ResultParser parser = new ResultParser(catalog);
        store.apply(
                List.of(
                        scotsmen(parser, 0, T0, "Lisboa", 5),
                        scotsmen(parser, 1, T0, "Porto", 7),
                        scotsmen(parser, 2, T0.plus(WINDOW), "Lisboa", 9)),
                Map.of(new TopicPartition(TOPIC, 0), 3L));
        List<RandomValueEvent> rawValues = List.of(new RandomValueEvent(T0, 42));
        api = HttpApi.start(
                0,
                Duration.ofSeconds(30),
                new HttpApi.Backend(
                        store,
                        catalog,
                        status,
                        () -> rawValues,
                        new ResultStream(2),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        http = new HttpTestClient(api.port());
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldServeTheStoredResultsOfAWindowRangeAndAGroup() {
        JsonNode lisboa = http.json(
                "/api/results/" + SCOTSMEN + "?district=Lisboa&from=" + T0 + "&to=" + T0.plus(Duration.ofHours(1)));

        assertThat(lisboa.get("count").asInt()).isEqualTo(2);
        assertThat(lisboa.get("truncated").asBoolean()).isFalse();
        assertThat(lisboa.get("results"))
                .extracting(r -> r.get("window_start").asText() + "="
                        + r.get("total_new_scotsmen").asInt())
                .containsExactly(T0.plus(WINDOW) + "=9", T0 + "=5"); // newest window first
        JsonNode firstWindow = http.json("/api/results/" + SCOTSMEN + "?from=" + T0 + "&to=" + T0.plus(WINDOW));
        assertThat(firstWindow.get("results"))
                .extracting(r -> r.get("district").asText())
                .containsExactlyInAnyOrder("Lisboa", "Porto");
        assertThat(http.json("/api/results/" + SCOTSMEN + "?limit=1")
                        .get("truncated")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void shouldServeTheRawValuesTheTailKeeps() {
        assertThat(http.json("/api/raw-values").get("values")).singleElement().satisfies(v -> {
            assertThat(v.get("ts").asText()).isEqualTo(T0.toString());
            assertThat(v.get("value").asInt()).isEqualTo(42);
        });
    }

    @Test
    void shouldAnswerLiveWhileThePollLoopRunsAndReadyOnlyWhenItSaysSo() {
        status.readiness = new Readiness.State(Readiness.Status.CATCHING_UP, "3 records behind");
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = http.get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("{\"status\":\"CATCHING_UP\",\"reason\":\"3 records behind\"}");

        status.readiness = new Readiness.State(Readiness.Status.READY, null);
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);

        status.alive = false;
        try {
            HttpResponse<String> down = http.get("/health/live");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\"}");
        } finally {
            status.alive = true;
        }
    }

    @Test
    void shouldListTheProblemsThePollLoopSetAside() {
        status.malformed.add(DeadLetter.of(TOPIC, 0, 7, "{{".getBytes(StandardCharsets.UTF_8), "not JSON: x", T0));

        JsonNode problems = http.json("/api/problems");
        assertThat(problems.get("dead_letters").get("count_since_start").asLong())
                .isZero();
        assertThat(problems.get("malformed_results").get("count_since_start").asLong())
                .isEqualTo(1);
        assertThat(problems.get("malformed_results").get("recent"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.get("source_topic").asText()).isEqualTo(TOPIC);
                    assertThat(p.get("offset").asLong()).isEqualTo(7);
                    assertThat(p.get("error").asText()).isEqualTo("not JSON: x");
                    assertThat(p.get("raw").asText()).isEqualTo("{{");
                    assertThat(p.get("raw_encoding").asText()).isEqualTo("utf-8");
                });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/api/results/scotsmen_per_district?limit=0                      | 400 | 'limit' must be an integer from 1 to 10000",
                "/api/results/scotsmen_per_district?limit=abc                    | 400 | 'limit' must be an integer from 1 to 10000",
                "/api/results/scotsmen_per_district?limit=10001                  | 400 | 'limit' must be an integer from 1 to 10000",
                "/api/results/scotsmen_per_district?from=yesterday               | 400 | 'from' must be an ISO-8601 timestamp such as 2024-12-03T10:12:00Z",
                "/api/results/scotsmen_per_district?to=+99999-01-01T00:00:00Z    | 400 | 'to' must be between the years 1970 and 9999",
                "/api/results/scotsmen_per_district?from=2031-01-02T00:00:00Z&to=2031-01-01T00:00:00Z | 400 | 'from' must be before 'to'",
                "/api/results/scotsmen_per_district?hashtag=x                    | 400 | unknown parameter 'hashtag'; allowed: [district, from, limit, to]",
                "/api/results/scotsmen_per_district?district=Lisboa&district=Porto | 400 | parameter 'district' must be given once",
                "/api/results/scotsmen_per_district/latest?district=Lisboa       | 400 | unknown parameter 'district'; allowed: [limit]",
                "/api/results/no_such_pipeline                                   | 404 | unknown pipeline 'no_such_pipeline'; GET /api/pipelines lists them",
                "/api/results/no_such_pipeline/latest                            | 404 | unknown pipeline 'no_such_pipeline'; GET /api/pipelines lists them",
                "/api/nothing-here                                               | 404 | no such path: /api/nothing-here"
            })
    void shouldAnswerBadRequestsWithAStatusAndAJsonMessage(String path, int status, String message) throws IOException {
        HttpResponse<String> response = http.get(path.replace("+", "%2B"));

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Json.MAPPER.readTree(response.body()).get("error").asText()).isEqualTo(message);
    }

    private static ResultRecord scotsmen(ResultParser parser, long offset, Instant window, String district, int total)
            throws Exception {
        String value = TestResults.scotsmen(window, district, total, window);
        return parser.parse(
                new SourcePosition(TOPIC, 0, offset),
                TestResults.key(SCOTSMEN, window, List.of(district)),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
