package io.streamanalytics.consumer;

import static io.streamanalytics.consumer.TestResults.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamanalytics.kafka.SharedKafkaBroker;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.testing.IntegrationTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: the consumer runs as its own JVM (the real main), is killed with SIGKILL while
 * results are still streaming in, and restarted. Every key is updated {@value #UPDATES} times; afterwards every
 * row must hold the last update and have been applied exactly {@value #UPDATES} times (its apply counter), so
 * nothing was lost and nothing applied twice.
 */
@IntegrationTest
class HardKillRecoveryTest {

    static final int KEYS = 200;
    static final int UPDATES = 200;
    static final int TOTAL = KEYS * UPDATES;
    static final Instant T0 = Instant.parse("2032-06-01T00:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration START_WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    private final String pipeline = "kill_probe_" + UUID.randomUUID().toString().substring(0, 8);
    private Process consumer;

    @AfterEach
    void stopConsumer() {
        if (consumer != null) {
            consumer.destroyForcibly();
        }
    }

    @Test
    void shouldApplyEveryResultExactlyOnceAcrossAHardKill() throws Exception {
        try (Admin admin = SharedKafkaBroker.get().admin()) {
            admin.createTopics(List.of(new NewTopic(Topics.results(pipeline), 3, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Map<String, String> env = childEnvironment();
        HttpTestClient http = new HttpTestClient(Integer.parseInt(env.get("HTTP_PORT")));

        consumer = startConsumer(env, "first");
        awaitReady(http);
        CompletableFuture<Void> producing = CompletableFuture.runAsync(this::produceAllUpdates);
        // Half-way, so that H2 has written some commits to its file (it flushes about once a second).
        await().atMost(START_WAIT).pollInterval(Duration.ofMillis(20)).until(() -> materialised(http) >= TOTAL / 2);
        consumer.destroyForcibly();
        assertThat(consumer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(consumer.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        // What survived the crash is consistent: the stored offsets count exactly the updates applied to the rows.
        long storedOffsets = single(
                env, "SELECT SUM(next_offset) FROM consumer_offsets WHERE topic = '" + Topics.results(pipeline) + "'");
        long applied = single(env, "SELECT SUM(apply_count) FROM results WHERE pipeline = '" + pipeline + "'");
        assertThat(storedOffsets).as("killed mid-stream with progress on disk").isBetween(1L, (long) TOTAL - 1);
        assertThat(applied).isEqualTo(storedOffsets);

        consumer = startConsumer(env, "second");
        producing.get(60, TimeUnit.SECONDS);
        awaitReady(http);
        await().atMost(START_WAIT)
                .untilAsserted(() -> assertThat(http.json("/api/results/" + pipeline + "?limit=" + KEYS)
                                .toString())
                        .doesNotContain("\"seq\":" + (UPDATES - 2))
                        .contains("\"count\":" + KEYS));
        consumer.destroy();
        assertThat(consumer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(consumer.exitValue()).as("stopped by SIGTERM").isEqualTo(143);

        Map<String, String> rows = TestResults.rowStates(env, pipeline);
        assertThat(rows).hasSize(KEYS);
        assertThat(rows)
                .allSatisfy(
                        (sensor, state) -> assertThat(state).isEqualTo("seq=" + (UPDATES - 1) + " applied=" + UPDATES));
    }

    /**
     * Uncatalogued pipelines are counted under one label: this test's are the only ones on its broker.
     */
    private long materialised(HttpTestClient http) {
        Matcher matcher = Pattern.compile("results_consumer_materialised_total\\{pipeline=\"other\"} ([0-9.E]+)")
                .matcher(http.get("/metrics").body());
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }

    private void produceAllUpdates() {
        try (KafkaProducer<String, String> producer = TestKafka.producer()) {
            for (int seq = 0; seq < UPDATES; seq++) {
                for (int key = 0; key < KEYS; key++) {
                    Instant window = T0.plus(WINDOW.multipliedBy(key));
                    String sensor = "s" + key;
                    producer.send(new ProducerRecord<>(
                            Topics.results(pipeline),
                            TestResults.key(pipeline, window, List.of(sensor)),
                            TestResults.value(
                                    pipeline, window, WINDOW, fields("sensor", sensor, "seq", seq), Instant.now())));
                }
            }
            producer.flush();
        }
    }

    private static void awaitReady(HttpTestClient http) {
        await().atMost(START_WAIT)
                .ignoreExceptions()
                .until(() -> http.get("/health/ready").statusCode() == 200);
    }

    private Map<String, String> childEnvironment() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers());
        env.put("KAFKA_GROUP_ID", "kill-test-" + pipeline);
        // Static membership: the restarted process takes over the killed one's partitions at once.
        env.put("KAFKA_GROUP_INSTANCE_ID", "kill-test");
        env.put("KAFKA_METADATA_MAX_AGE_MS", "500");
        // Small polls make many transactions, so the kill lands between or inside them.
        env.put("KAFKA_MAX_POLL_RECORDS", "500");
        env.put("HTTP_PORT", Integer.toString(freePort()));
        env.put("RESULTS_DB_URL", "jdbc:h2:file:" + dataDir.resolve("results"));
        return env;
    }

    private Process startConsumer(Map<String, String> env, String name) throws IOException {
        Path log = Path.of("target", "hard-kill-" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ResultsConsumerMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static long single(Map<String, String> env, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(env.get("RESULTS_DB_URL"), "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
