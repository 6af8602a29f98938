package io.streamanalytics.consumer.bench;

import static io.streamanalytics.consumer.TestResults.fields;
import static org.awaitility.Awaitility.await;

import io.streamanalytics.consumer.ResultsConsumerConfig;
import io.streamanalytics.consumer.ResultsConsumerService;
import io.streamanalytics.consumer.TestResults;
import io.streamanalytics.kafka.EmbeddedKafkaBroker;
import io.streamanalytics.schemas.reference.District;
import io.streamanalytics.schemas.reference.Districts;
import io.streamanalytics.schemas.topics.Topics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Materialisation throughput into H2 (file) and PostgreSQL, then REST latency under wrk at a fixed rate.
 * Not a test: run it by hand (the commands are in the repository's docs/benchmarks.md). Loopback only, bounded in count and time.
 *
 * <p>Arguments: number of results (default 200000), wrk duration in seconds (default 30).
 */
public final class MaterialisationBenchmark {

    static final Duration WINDOW = Duration.ofMinutes(3);
    private static final int WARM_UP_SECONDS = 15;
    static final Instant T0 = Instant.parse("2024-12-03T00:00:00Z");

    private MaterialisationBenchmark() {}

    public static void main(String[] args) throws Exception {
        int results = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int wrkSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.ephemeral())) {
            produce(broker, results);
            Path dataDir = Files.createTempDirectory("bench-h2-");
            try (ResultsConsumerService h2 =
                    measure("H2 file", broker, "jdbc:h2:file:" + dataDir.resolve("results"), "sa", results)) {
                restLatency(h2.httpPort(), wrkSeconds);
            }
            try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
                String url = postgres.getJdbcUrl("postgres", "postgres");
                try (ResultsConsumerService pg = measure("PostgreSQL 15", broker, url, "postgres", results)) {
                    restLatency(pg.httpPort(), wrkSeconds);
                }
            }
        }
    }

    private static void produce(EmbeddedKafkaBroker broker, int results) throws Exception {
        String topic = Topics.results("scotsmen_per_district");
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<District> districts = Districts.ALL;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", "20", "batch.size", "262144"),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < results; i++) {
                // Each key twice, as update mode sends a window's running value and then its final one.
                int result = i / 2;
                District district = districts.get(result % districts.size());
                Instant window = T0.plus(WINDOW.multipliedBy(result / districts.size()));
                producer.send(new ProducerRecord<>(
                        topic,
                        TestResults.key("scotsmen_per_district", window, List.of(district.name())),
                        TestResults.value(
                                "scotsmen_per_district",
                                window,
                                WINDOW,
                                fields(
                                        "district",
                                        district.name(),
                                        "event_count",
                                        3,
                                        "total_new_scotsmen",
                                        i % 50,
                                        "average_new_scotsmen",
                                        (i % 50) / 3.0),
                                Instant.now())));
            }
        }
        System.out.printf("produced %d results (%d keys)%n", results, results / 2);
    }

    private static ResultsConsumerService measure(
            String name, EmbeddedKafkaBroker broker, String url, String user, int results) throws Exception {
        long start = System.nanoTime();
        ResultsConsumerService service = ResultsConsumerService.start(ResultsConsumerConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                broker.bootstrapServers(),
                "KAFKA_GROUP_ID",
                "bench-" + UUID.randomUUID(),
                "HTTP_PORT",
                "0",
                "RESULTS_DB_URL",
                url,
                "RESULTS_DB_USER",
                user)));
        // start() returns once the partitions are assigned: from here on the consumer only materialises.
        long assigned = System.nanoTime();
        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(20))
                .until(service::isReady);
        long caughtUp = System.nanoTime();
        double total = (caughtUp - start) / 1e9;
        double materialising = (caughtUp - assigned) / 1e9;
        System.out.printf(
                "%s: %d results materialised in %.1f s = %.0f results/s including start-up; "
                        + "%.1f s = %.0f results/s from partition assignment to caught up%n",
                name, results, total, results / total, materialising, results / materialising);
        return service;
    }

    /**
     * REST latency in steady state: a first, unreported wrk run lets the just-loaded database finish its
     * background work (H2 compacts its file after a bulk load) and the JIT warm up; the second run is the figure.
     */
    private static void restLatency(int port, int seconds) throws Exception {
        System.out.println("REST warm-up (not reported):");
        wrk(port, WARM_UP_SECONDS);
        System.out.println("REST measured:");
        wrk(port, seconds);
    }

    /** wrk has no fixed-rate mode; each of 10 connections waits 20 ms between requests, about 500 requests/s. */
    private static void wrk(int port, int seconds) throws Exception {
        Path script = Files.createTempFile("wrk-rate-", ".lua");
        Files.writeString(script, "function delay() return 20 end\n", StandardCharsets.UTF_8);
        String url = "http://127.0.0.1:" + port + "/api/results/scotsmen_per_district?district=Lisboa&limit=100";
        Process wrk = new ProcessBuilder(
                        "wrk", "-t2", "-c10", "-d" + seconds + "s", "--latency", "-s", script.toString(), url)
                .inheritIO()
                .start();
        if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
        }
    }
}
