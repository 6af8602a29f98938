package io.streamanalytics.consumer;

import static io.streamanalytics.consumer.TestResults.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.kafka.EmbeddedKafkaBroker;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.testing.IntegrationTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka and the database going away mid-stream, for real: the broker is shut down and started again on the same
 * port and data, PostgreSQL is stopped and started again on the same port and data. Readiness turns false with
 * the reason once the outage is longer than the grace, true again after catching up, and every update is applied
 * exactly once (each row's apply counter equals the updates sent for it, and holds the last one).
 *
 * <p>The Kafka outage needs a broker of its own: stopping the shared one would take it from every other test
 * class in this JVM. It is the only test that starts a second one, and it is stopped at the end.
 */
@IntegrationTest
class OutageRecoveryTest {

    static final int KEYS = 10;
    static final int UPDATES = 40;
    static final Duration GRACE = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(60);
    /** How long Kafka or the database stays away: long beyond the grace, as a real outage is. */
    static final Duration OUTAGE = Duration.ofSeconds(30);

    static final Instant T0 = Instant.parse("2035-03-01T00:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(1);

    @TempDir
    Path dataDir;

    private final String pipeline = "outage_" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldReportKafkaUnreachableDuringAnOutageAndApplyEveryUpdateExactlyOnceAfter() throws Exception {
        EmbeddedKafkaBroker.Settings settings = new EmbeddedKafkaBroker.Settings(
                1,
                EmbeddedKafkaBroker.freePort(),
                EmbeddedKafkaBroker.freePort(),
                null,
                Uuid.randomUuid().toString(),
                dataDir.resolve("kafka"),
                1,
                WAIT);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings);
        String bootstrap = broker.bootstrapServers();
        try {
            createTopic(bootstrap);
            Map<String, String> env = environment(bootstrap, "jdbc:h2:mem:" + pipeline + ";DB_CLOSE_DELAY=-1");
            try (ResultsConsumerService service =
                            ResultsConsumerService.start(ResultsConsumerConfig.fromEnvironment(env));
                    KafkaProducer<String, String> producer = producer(bootstrap)) {
                HttpTestClient http = new HttpTestClient(service.httpPort());
                await().atMost(WAIT).until(service::isReady);
                sendUpdates(producer, 0, UPDATES / 2);
                await().atMost(WAIT).until(() -> storedUpTo(http, UPDATES / 2 - 1));

                broker.close();
                Instant down = Instant.now();
                // Sent while the broker is away: the producer holds them until it is back.
                CompletableFuture<Void> rest =
                        CompletableFuture.runAsync(() -> sendUpdates(producer, UPDATES / 2, UPDATES));
                JsonNode unready = awaitNotReady(http);
                assertThat(unready.get("status").asText()).isEqualTo("KAFKA_UNREACHABLE");
                assertThat(unready.get("reason").asText()).startsWith("no answer from Kafka for ");
                assertStillNotReadyAtTheEndOf(down, http, "KAFKA_UNREACHABLE");

                broker = EmbeddedKafkaBroker.start(settings);
                rest.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                await().atMost(WAIT).until(() -> storedUpTo(http, UPDATES - 1));
                await().atMost(WAIT).until(() -> http.get("/health/ready").statusCode() == 200);
                assertThat(TestResults.rowStates(env, pipeline))
                        .hasSize(KEYS)
                        .allSatisfy((key, state) ->
                                assertThat(state).isEqualTo("seq=" + (UPDATES - 1) + " applied=" + UPDATES));
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void shouldReportStoreFailingWhileTheDatabaseIsAwayAndApplyEveryUpdateExactlyOnceAfter() throws Exception {
        EmbeddedPostgres.Builder postgresBuilder = EmbeddedPostgres.builder()
                .setPort(EmbeddedKafkaBroker.freePort())
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false);
        EmbeddedPostgres postgres = postgresBuilder.start();
        try {
            createTopic(TestKafka.bootstrapServers());
            Map<String, String> env =
                    environment(TestKafka.bootstrapServers(), postgres.getJdbcUrl("postgres", "postgres"));
            env.put("RESULTS_DB_USER", "postgres");
            try (ResultsConsumerService service =
                            ResultsConsumerService.start(ResultsConsumerConfig.fromEnvironment(env));
                    KafkaProducer<String, String> producer = producer(TestKafka.bootstrapServers())) {
                HttpTestClient http = new HttpTestClient(service.httpPort());
                await().atMost(WAIT).until(service::isReady);
                sendUpdates(producer, 0, UPDATES / 2);
                await().atMost(WAIT).until(() -> storedUpTo(http, UPDATES / 2 - 1));

                postgres.close();
                Instant down = Instant.now();
                sendUpdates(producer, UPDATES / 2, UPDATES);
                JsonNode unready = awaitNotReady(http);
                assertThat(unready.get("status").asText()).isEqualTo("STORE_FAILING");
                assertThat(unready.get("reason").asText()).startsWith("results not stored for ");
                assertThat(http.get("/health/live").statusCode())
                        .as("the poll loop is still running")
                        .isEqualTo(200);
                assertStillNotReadyAtTheEndOf(down, http, "STORE_FAILING");

                postgres = postgresBuilder.start();
                await().atMost(WAIT).until(() -> storedUpTo(http, UPDATES - 1));
                await().atMost(WAIT).until(() -> http.get("/health/ready").statusCode() == 200);
                assertThat(TestResults.rowStates(env, pipeline))
                        .hasSize(KEYS)
                        .allSatisfy((key, state) ->
                                assertThat(state).isEqualTo("seq=" + (UPDATES - 1) + " applied=" + UPDATES));
            }
        } finally {
            postgres.close();
        }
    }

    private Map<String, String> environment(String bootstrap, String dbUrl) {
        Map<String, String> env = new HashMap<>(TestKafka.consumerEnvironment());
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("RESULTS_DB_URL", dbUrl);
        env.put("READINESS_GRACE", GRACE.toMillis() + "ms");
        return env;
    }

    private void createTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.results(pipeline), 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "acks",
                        "all",
                        "enable.idempotence",
                        "true",
                        "delivery.timeout.ms",
                        "120000"),
                new StringSerializer(),
                new StringSerializer());
    }

    /** Updates {@code from} to {@code to - 1} of every key, each acknowledged before the next. */
    private void sendUpdates(KafkaProducer<String, String> producer, int from, int to) {
        for (int seq = from; seq < to; seq++) {
            for (int key = 0; key < KEYS; key++) {
                Instant window = T0.plus(WINDOW.multipliedBy(key));
                String sensor = "s" + key;
                TestKafka.send(
                        producer,
                        Topics.results(pipeline),
                        TestResults.key(pipeline, window, List.of(sensor)),
                        TestResults.value(
                                pipeline, window, WINDOW, fields("sensor", sensor, "seq", seq), Instant.now()));
            }
        }
    }

    /** Whether the API serves update {@code seq} for every key. */
    private boolean storedUpTo(HttpTestClient http, int seq) {
        HttpResponse<String> response = http.get("/api/results/" + pipeline + "?limit=" + KEYS);
        return response.statusCode() == 200
                && response.body().contains("\"count\":" + KEYS)
                && Pattern.compile("\"seq\":" + seq + "[,}]")
                                .matcher(response.body())
                                .results()
                                .count()
                        == KEYS;
    }

    /** Waits out the rest of the outage (its length is what is under test), then checks readiness did not flip. */
    private static void assertStillNotReadyAtTheEndOf(Instant down, HttpTestClient http, String status)
            throws Exception {
        Thread.sleep(
                Math.max(0, Duration.between(Instant.now(), down.plus(OUTAGE)).toMillis()));
        HttpResponse<String> response = http.get("/health/ready");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"status\":\"" + status + "\"");
    }

    private static JsonNode awaitNotReady(HttpTestClient http) throws IOException {
        await().atMost(WAIT).until(() -> http.get("/health/ready").statusCode() == 503);
        return Json.MAPPER.readTree(http.get("/health/ready").body());
    }
}
