package io.streamanalytics.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.common.KafkaTopicAdmin;
import io.streamanalytics.kafka.SharedKafkaBroker;
import io.streamanalytics.kafka.TopicTail;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.schemas.validate.EventValidator;
import io.streamanalytics.schemas.validate.Validation;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.config.StreamConfig;
import io.streamanalytics.simulator.generate.EventStream;
import io.streamanalytics.simulator.generate.SimRecord;
import io.streamanalytics.testing.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator against a real (embedded KRaft) broker. */
@IntegrationTest
class SimulatorKafkaTest {

    private static final String BOOTSTRAP = SharedKafkaBroker.get().bootstrapServers();
    private static final List<String> ALL_TOPICS =
            Topics.INPUTS.stream().map(EventType::topicName).toList();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** Options every test shares: no weather files, a free metrics port, no deliberate disorder. */
    static final String[] QUIET = {
        "--weather-enabled", "false", "--metrics-port", "0", "--out-of-order-fraction", "0", "--late-fraction", "0"
    };

    @TempDir
    Path tmp;

    @Test
    void shouldSendEveryEventTypeToItsTopicWithValidFieldsContractKeysAndEventTimeTimestamps() {
        createTopics();
        try (TopicTail tail = TopicTail.fromEnd(BOOTSTRAP, ALL_TOPICS)) {
            assertThat(run(
                            "--seed",
                            "11",
                            "--speed",
                            "0",
                            "--out-of-order-fraction",
                            "0.2",
                            "--late-fraction",
                            "0.05",
                            "--clickstream-count",
                            "40",
                            "--random-values-count",
                            "40",
                            "--twitter-count",
                            "40",
                            "--voters-count",
                            "40",
                            "--scotsmen-count",
                            "40",
                            "--bagpipe-count",
                            "40"))
                    .isZero();

            Map<String, List<ConsumerRecord<String, byte[]>>> records = tail.readToEnd(READ_TIMEOUT);
            EventValidator validator = new EventValidator(Clock.systemUTC());
            for (EventType topic : Topics.INPUTS) {
                assertThat(records.get(topic.topicName())).as(topic.topicName()).hasSize(40);
                for (ConsumerRecord<String, byte[]> record : records.get(topic.topicName())) {
                    Validation validation =
                            validator.validate(topic, new String(record.value(), StandardCharsets.UTF_8));
                    assertThat(validation)
                            .as("%s %s", topic.topicName(), validation)
                            .isInstanceOf(Validation.Valid.class);
                    Event event = ((Validation.Valid) validation).event();
                    assertThat(record.key()).isEqualTo(topic.key(event));
                    assertThat(record.timestamp()).isEqualTo(event.eventTime().toEpochMilli());
                }
            }
            assertThat(records.get("scotsmen"))
                    .allSatisfy(r -> assertThat(r.key()).isNotNull());
            assertThat(records.get("twitter"))
                    .allSatisfy(r -> assertThat(r.key()).isNotNull());
            assertThat(records.get("voters"))
                    .allSatisfy(r -> assertThat(r.key()).isNull());
        }
    }

    @Test
    void shouldSendByteIdenticalRecordsForTheSameSeedAndStartTime() {
        String[] args = {
            "--seed",
            "42",
            "--start-time",
            "2024-12-03T10:00:00Z",
            "--speed",
            "0",
            "--malformed-fraction",
            "0.05",
            "--out-of-order-fraction",
            "0.1",
            "--late-fraction",
            "0.02",
            "--clickstream-count",
            "100",
            "--random-values-count",
            "0",
            "--random-values-enabled",
            "false",
            "--twitter-count",
            "100",
            "--voters-enabled",
            "false",
            "--scotsmen-count",
            "100",
            "--bagpipe-count",
            "30"
        };
        createTopics();

        List<String> first = sendAndRead(args);
        List<String> second = sendAndRead(args);

        assertThat(first).hasSize(330);
        assertThat(second).isEqualTo(first);
        SimulatorConfig config = config(args);
        List<String> generated = new ArrayList<>();
        for (StreamConfig stream : config.streams()) {
            if (stream.enabled()) {
                EventStream<?> events = Simulator.stream(config, stream);
                for (int i = 0; i < stream.count(); i++) {
                    generated.add(describe(events.next()));
                }
            }
        }
        generated.sort(Comparator.naturalOrder());
        assertThat(first).isEqualTo(generated);
    }

    @Test
    void shouldHoldTheConfiguredRateWithinTenPercentOverTenSeconds() throws Exception {
        createTopics();
        int rate = 200;
        try (TopicTail tail = TopicTail.fromEnd(BOOTSTRAP, List.of("random-values"))) {
            /** How many records the broker had gained, seen at a moment (nanos since start) while the simulator ran. */
            record Sample(long atNanos, long records) {}
            List<Sample> samples = new ArrayList<>();
            Thread simulator = new Thread(() -> run(
                    "--seed",
                    "5",
                    "--random-values-rate",
                    Integer.toString(rate),
                    "--random-values-duration",
                    "10s",
                    "--clickstream-enabled",
                    "false",
                    "--twitter-enabled",
                    "false",
                    "--voters-enabled",
                    "false",
                    "--scotsmen-enabled",
                    "false",
                    "--bagpipe-enabled",
                    "false"));
            long startNanos = System.nanoTime();
            simulator.start();
            while (simulator.isAlive()
                    && System.nanoTime() - startNanos < Duration.ofSeconds(30).toNanos()) {
                long before = System.nanoTime();
                long records = tail.appendedSinceMark("random-values");
                samples.add(new Sample((before + System.nanoTime()) / 2 - startNanos, records));
                Thread.sleep(100);
            }
            simulator.join(Duration.ofSeconds(10).toMillis());
            assertThat(simulator.isAlive()).isFalse();
            assertThat(tail.appendedSinceMark("random-values")).isEqualTo(10L * rate);
            // Between about 2 s and 8 s after the start (well inside the 10 s of sending), the broker gains
            // records at the configured rate, +-10%.
            Sample from = samples.stream()
                    .filter(s -> s.atNanos() >= 2_000_000_000L)
                    .findFirst()
                    .orElseThrow();
            Sample to = samples.stream()
                    .filter(s -> s.atNanos() <= 8_000_000_000L)
                    .reduce((a, b) -> b)
                    .orElseThrow();
            double measured = (to.records() - from.records()) * 1e9 / (to.atNanos() - from.atNanos());
            assertThat(measured).isBetween(rate * 0.9, rate * 1.1);
        }
    }

    @Test
    void shouldBreakExactlyTheRequestedFractionOfRecordsInEachOfTheFourWays() {
        createTopics();
        try (TopicTail tail = TopicTail.fromEnd(BOOTSTRAP, List.of("scotsmen"))) {
            assertThat(run(
                            "--seed",
                            "3",
                            "--speed",
                            "0",
                            "--malformed-fraction",
                            "0.1",
                            "--scotsmen-count",
                            "400",
                            "--clickstream-enabled",
                            "false",
                            "--random-values-enabled",
                            "false",
                            "--twitter-enabled",
                            "false",
                            "--voters-enabled",
                            "false",
                            "--bagpipe-enabled",
                            "false"))
                    .isZero();

            List<ConsumerRecord<String, byte[]>> records =
                    tail.readToEnd(READ_TIMEOUT).get("scotsmen");
            EventValidator validator = new EventValidator(Clock.systemUTC());
            List<String> reasons = records.stream()
                    .map(r -> validator.validate(Topics.SCOTSMEN, new String(r.value(), StandardCharsets.UTF_8)))
                    .filter(v -> v instanceof Validation.Invalid)
                    .map(v -> ((Validation.Invalid) v).reason())
                    .toList();
            assertThat(records).hasSize(400);
            assertThat(reasons).hasSize(40);
            assertThat(reasons).filteredOn(r -> r.startsWith("not JSON")).hasSize(10);
            assertThat(reasons).filteredOn(r -> r.contains("required")).hasSize(10);
            assertThat(reasons)
                    .filteredOn(r -> r.contains("integer found") || r.contains("string found"))
                    .hasSize(10);
            assertThat(reasons)
                    .filteredOn(r -> r.startsWith("event time 1970-01-01T00:00:00Z is before"))
                    .hasSize(10);
        }
    }

    @Test
    void shouldReplayExactlyTheValidLinesOfAFileWithTheirEventTimes() throws Exception {
        createTopics();
        List<String> good = List.of(
                "{\"district\":\"Porto\",\"new_scotsmen\":4,\"timestamp\":\"2024-12-03T10:00:00Z\",\"note\":\"kept\"}",
                "{\"Clicks\":1,\"Impressions\":9,\"ts\":\"2024-12-03T10:00:01Z\"}",
                "{\"district\":\"Faro\",\"bagpipe_sales\":2,\"timestamp\":\"2024-12-03T10:00:02+01:00\"}",
                "{\"gender\":\"female\",\"age\":33,\"party\":\"Green\",\"timestamp\":\"2024-12-03T10:00:03\"}",
                "{\"ts\":\"2024-12-03T10:00:04Z\",\"value\":17}",
                "{\"text\":\"go #kafka\",\"timestamp_ms\":\"1733220005000\",\"user\":{\"id_str\":\"7\",\"screen_name\":\"seven\"}}");
        Path file = tmp.resolve("events.jsonl");
        List<String> lines = new ArrayList<>(good);
        lines.add(2, "{\"district\":\"Porto\",\"new_scotsmen\":\"four\",\"timestamp\":\"2024-12-03T10:00:00Z\"}");
        lines.add(4, "");
        lines.add("not json at all");
        Files.write(file, lines, StandardCharsets.UTF_8);

        try (TopicTail tail = TopicTail.fromEnd(BOOTSTRAP, ALL_TOPICS)) {
            assertThat(run("--replay-file", file.toString(), "--speed", "0")).isZero();

            Map<String, List<ConsumerRecord<String, byte[]>>> records = tail.readToEnd(READ_TIMEOUT);
            assertThat(records.values().stream().mapToInt(List::size).sum()).isEqualTo(6);
            assertThat(single(records, "scotsmen")).isEqualTo(new Sent("Porto", good.get(0), "2024-12-03T10:00:00Z"));
            assertThat(single(records, "clickstream")).isEqualTo(new Sent(null, good.get(1), "2024-12-03T10:00:01Z"));
            assertThat(single(records, "bagpipe")).isEqualTo(new Sent("Faro", good.get(2), "2024-12-03T09:00:02Z"));
            assertThat(single(records, "voters")).isEqualTo(new Sent(null, good.get(3), "2024-12-03T10:00:03Z"));
            assertThat(single(records, "random-values")).isEqualTo(new Sent(null, good.get(4), "2024-12-03T10:00:04Z"));
            assertThat(single(records, "twitter")).isEqualTo(new Sent("7", good.get(5), "2024-12-03T10:00:05Z"));
        }
    }

    @Test
    void shouldReplayWithTheOriginalTimingScaledBySpeed() throws Exception {
        createTopics();
        Path file = tmp.resolve("timed.jsonl");
        Files.write(
                file,
                List.of(
                        "{\"ts\":\"2024-12-03T10:00:00Z\",\"value\":1}",
                        "{\"ts\":\"2024-12-03T10:00:02Z\",\"value\":2}",
                        "{\"ts\":\"2024-12-03T10:00:04Z\",\"value\":3}"),
                StandardCharsets.UTF_8);

        long start = System.nanoTime();
        assertThat(run("--replay-file", file.toString(), "--speed", "2")).isZero();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        // 4 s of event time at twice the speed: the last line is due 2 s after the first.
        assertThat(elapsed).isBetween(Duration.ofMillis(1900), Duration.ofMillis(5000));
    }

    record Sent(String key, String value, String timestamp) {}

    private static Sent single(Map<String, List<ConsumerRecord<String, byte[]>>> records, String topic) {
        assertThat(records.get(topic)).as(topic).hasSize(1);
        ConsumerRecord<String, byte[]> r = records.get(topic).get(0);
        return new Sent(
                r.key(),
                new String(r.value(), StandardCharsets.UTF_8),
                Instant.ofEpochMilli(r.timestamp()).toString());
    }

    private List<String> sendAndRead(String[] args) {
        try (TopicTail tail = TopicTail.fromEnd(BOOTSTRAP, ALL_TOPICS)) {
            assertThat(run(args)).isZero();
            return tail.readToEnd(READ_TIMEOUT).values().stream()
                    .flatMap(List::stream)
                    .map(r -> describe(r.topic(), r.key(), r.value(), r.timestamp()))
                    .sorted()
                    .toList();
        }
    }

    /** A record as text; partitions of unkeyed records depend on batching, so tests compare sorted multisets. */
    static String describe(String topic, String key, byte[] value, long timestamp) {
        return topic + " " + timestamp + " " + key + " " + new String(value, StandardCharsets.UTF_8);
    }

    static String describe(SimRecord record) {
        return describe(
                record.topic().topicName(),
                record.key(),
                record.value(),
                record.eventTime().toEpochMilli());
    }

    private static int run(String... args) {
        return SimulatorCommand.commandLine(Map.of("KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP))
                .execute(
                        Stream.concat(Arrays.stream(QUIET), Arrays.stream(args)).toArray(String[]::new));
    }

    static SimulatorConfig config(String... args) {
        var commandLine = SimulatorCommand.commandLine(Map.of("KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP));
        commandLine.parseArgs(
                Stream.concat(Arrays.stream(QUIET), Arrays.stream(args)).toArray(String[]::new));
        return ((SimulatorCommand) commandLine.getCommand()).toConfig();
    }

    private static void createTopics() {
        KafkaTopicAdmin.ensureExist(
                config().kafka(),
                ALL_TOPICS.stream()
                        .map(name -> KafkaTopicAdmin.inputTopic(name, Optional.of(3), Optional.of((short) 1)))
                        .toList());
    }
}
