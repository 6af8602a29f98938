package io.streamanalytics.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.kafka.EmbeddedKafkaBroker;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.simulator.SimulatorMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The simulator's maximum throughput against Kafka's own {@code ProducerPerformance}, side by side on the same
 * broker: same topic, same record values (the simulator's own voter events, fed to ProducerPerformance as its
 * payload file), same {@code acks=all}, idempotence, linger and batch size. Each tool runs in its own JVM, in
 * alternating order, for several rounds; the result is the ratio of the medians.
 *
 * <p>Run: {@code ./mvnw -q package -DskipTests -pl benchmarks -am && java -jar benchmarks/target/benchmarks.jar producer [records] [rounds]}
 */
public final class ProducerThroughputBenchmark {

    private static final String TOPIC = "voters";
    private static final Map<String, String> PRODUCER_SETTINGS =
            Map.of("acks", "all", "enable.idempotence", "true", "linger.ms", "5", "batch.size", "65536");
    private static final Pattern PERF_TOTAL = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");
    private static final String SUMMARY = "summary ";

    private ProducerThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("producer-benchmark-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.ephemeral());
                Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Path payload = payloadFile(work);
            List<String> lines = Files.readAllLines(payload, StandardCharsets.UTF_8);
            double meanBytes = lines.stream()
                    .mapToInt(l -> l.getBytes(StandardCharsets.UTF_8).length)
                    .average()
                    .orElse(0);
            System.out.printf(
                    "Records per run: %,d; record value: %.1f bytes on average (simulator voter events); "
                            + "producer settings: %s%n%n",
                    records, meanBytes, PRODUCER_SETTINGS);
            System.out.println("| round | ProducerPerformance (records/s) | producer-simulator (records/s) | ratio |");
            System.out.println("|---|---|---|---|");
            List<Double> perf = new ArrayList<>();
            List<Double> simulator = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                // Alternate which tool goes first, so neither always meets a warmer broker.
                if (round % 2 == 1) {
                    perf.add(producerPerformance(broker, payload, records, work));
                    simulator.add(simulator(broker, records, round, work));
                } else {
                    simulator.add(simulator(broker, records, round, work));
                    perf.add(producerPerformance(broker, payload, records, work));
                }
                System.out.printf(
                        "| %d | %,.0f | %,.0f | %.2f |%n",
                        round,
                        perf.get(round - 1),
                        simulator.get(round - 1),
                        simulator.get(round - 1) / perf.get(round - 1));
            }
            double perfMedian = Stats.median(perf);
            double simulatorMedian = Stats.median(simulator);
            System.out.printf(
                    "| median | %,.0f | %,.0f | %.2f |%n", perfMedian, simulatorMedian, simulatorMedian / perfMedian);
        }
    }

    /** 100,000 voter events from the simulator itself: ProducerPerformance sends the same bytes. */
    private static Path payloadFile(Path work) throws IOException, InterruptedException {
        Path payload = work.resolve("voters.jsonl");
        run(
                javaCommand(
                        SimulatorMain.class.getName(),
                        "--output",
                        "stdout",
                        "--speed",
                        "0",
                        "--seed",
                        "1",
                        "--start-time",
                        "2024-12-03T10:00:00Z",
                        "--voters-count",
                        "100000",
                        "--metrics-port",
                        "0",
                        "--out-of-order-fraction",
                        "0",
                        "--late-fraction",
                        "0",
                        "--weather-enabled",
                        "false",
                        "--clickstream-enabled",
                        "false",
                        "--random-values-enabled",
                        "false",
                        "--twitter-enabled",
                        "false",
                        "--scotsmen-enabled",
                        "false",
                        "--bagpipe-enabled",
                        "false"),
                Map.of(),
                payload,
                work.resolve("payload.log"));
        return payload;
    }

    private static double producerPerformance(EmbeddedKafkaBroker broker, Path payload, long records, Path work)
            throws IOException, InterruptedException {
        List<String> command = javaCommand(
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic",
                TOPIC,
                "--num-records",
                Long.toString(records),
                "--throughput",
                "-1",
                "--payload-file",
                payload.toString(),
                "--producer-props",
                "bootstrap.servers=" + broker.bootstrapServers());
        PRODUCER_SETTINGS.forEach((k, v) -> command.add(k + "=" + v));
        Path out = work.resolve("perf.out");
        run(command, Map.of(), out, out);
        Matcher total = null;
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            Matcher m = PERF_TOTAL.matcher(line);
            if (m.find()) {
                total = m;
            }
        }
        if (total == null || Long.parseLong(total.group(1)) != records) {
            throw new IllegalStateException(
                    "ProducerPerformance did not report " + records + " records:\n" + Files.readString(out));
        }
        return Double.parseDouble(total.group(2));
    }

    private static double simulator(EmbeddedKafkaBroker broker, long records, int seed, Path work)
            throws IOException, InterruptedException {
        Path out = work.resolve("simulator.out");
        run(
                javaCommand(
                        SimulatorMain.class.getName(),
                        "--speed",
                        "0",
                        "--seed",
                        Integer.toString(seed),
                        "--start-time",
                        "2024-12-03T10:00:00Z",
                        "--voters-count",
                        Long.toString(records),
                        "--metrics-port",
                        "0",
                        "--out-of-order-fraction",
                        "0",
                        "--late-fraction",
                        "0",
                        "--weather-enabled",
                        "false",
                        "--clickstream-enabled",
                        "false",
                        "--random-values-enabled",
                        "false",
                        "--twitter-enabled",
                        "false",
                        "--scotsmen-enabled",
                        "false",
                        "--bagpipe-enabled",
                        "false"),
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        broker.bootstrapServers(),
                        "KAFKA_LINGER_MS",
                        PRODUCER_SETTINGS.get("linger.ms"),
                        "KAFKA_BATCH_SIZE",
                        PRODUCER_SETTINGS.get("batch.size")),
                out,
                out);
        String line = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(SUMMARY))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("no simulator summary:\n" + readQuietly(out)));
        JsonNode summary = Json.MAPPER.readTree(line.substring(line.indexOf(SUMMARY) + SUMMARY.length()));
        long acknowledged = summary.path("acknowledged").path(TOPIC).asLong();
        if (acknowledged != records) {
            throw new IllegalStateException(
                    "the simulator acknowledged " + acknowledged + " of " + records + " records");
        }
        return acknowledged * 1000.0 / summary.path("elapsed_ms").asLong();
    }

    private static List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        command.addAll(Arrays.asList(args));
        return command;
    }

    private static void run(List<String> command, Map<String, String> env, Path stdout, Path stderr)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile());
        if (stderr.equals(stdout)) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(stderr.toFile());
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command.get(command.size() - 1));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit " + process.exitValue() + " from "
                    + String.join(" ", command.subList(4, command.size())) + "\n" + readQuietly(stderr));
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
