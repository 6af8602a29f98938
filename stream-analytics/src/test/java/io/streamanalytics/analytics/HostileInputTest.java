package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamanalytics.kafka.EmbeddedKafkaBroker;
import io.streamanalytics.schemas.events.BagpipeSaleEvent;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.events.VoterEvent;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.reference.District;
import io.streamanalytics.schemas.reference.Districts;
import io.streamanalytics.schemas.topics.DeadLetter;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.schemas.validate.EventValidator;
import io.streamanalytics.testing.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rogue producer against the real pipelines: a corpus of adversarial records, written as raw bytes by a plain
 * Kafka producer into every input topic, interleaved with a deterministic good stream. Every good window must be
 * exact (computed independently in plain Java), every hostile record exactly one bounded dead letter at its
 * coordinates, every result record small, and no query may end or restart.
 */
@IntegrationTest
class HostileInputTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final Instant START = Instant.parse("2024-12-03T10:00:00Z");
    private static final int SLOTS = 120;
    private static final int MAX_BYTES = EventValidator.DEFAULT_MAX_RECORD_BYTES;
    /** The pipelines that read the six input topics; each topic's dead letters come from the first of them. */
    private static final Map<EventType, String> DEAD_LETTER_OWNER = Map.of(
            Topics.CLICKSTREAM,
            "impressions_per_minute",
            Topics.RANDOM_VALUES,
            "random_value_avg",
            Topics.TWITTER,
            "hashtag_counts",
            Topics.VOTERS,
            "voter_stats",
            Topics.SCOTSMEN,
            "scotsmen_per_district",
            Topics.BAGPIPE,
            "scotsmen_bagpipes");

    /** The good stream's districts: Lisboa is left to the join's hand-computed case. */
    private static final List<String> OTHER_DISTRICTS = Districts.ALL.stream()
            .map(District::name)
            .filter(name -> !name.equals("Lisboa"))
            .toList();

    @TempDir
    static Path work;

    private static EmbeddedKafkaBroker broker;
    private static KafkaTestSupport kafka;
    private static PipelineQueries app;
    private static final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static Map<String, UUID> startedQueries;

    @BeforeAll
    static void startPipelines() {
        // A broker of its own: the topic names are fixed by the contract and the shared broker has other data.
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.ephemeral());
        kafka = new KafkaTestSupport(broker.bootstrapServers());
        AnalyticsConfig config = AnalyticsConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "CHECKPOINT_DIR", work.resolve("checkpoints").toString(),
                "PIPELINES", String.join(",", DEAD_LETTER_OWNER.values()),
                "TRIGGER_INTERVAL", "1s"));
        app = new PipelineQueries(
                config, SparkTestSession.get(), List.of(new QueryMetrics(registry, Clock.systemUTC())));
        app.start();
        startedQueries = app.queries().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().id()));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDeadLetterEveryHostileRecordAndKeepEveryGoodWindowExact() throws Exception {
        Random random = new Random(11);
        List<ClickEvent> clicks = new ArrayList<>();
        List<RandomValueEvent> values = new ArrayList<>();
        Map<Instant, String> tweets = new LinkedHashMap<>();
        List<VoterEvent> votes = new ArrayList<>();
        List<ScotsmenEvent> conversions = new ArrayList<>();
        Map<String, Hostile> hostiles = new LinkedHashMap<>();
        Map<EventType, List<Hostile>> corpus = new LinkedHashMap<>();
        Topics.INPUTS.forEach(topic -> corpus.put(topic, corpus(topic)));
        int corpusSize = corpus.values().iterator().next().size();

        for (int slot = 0; slot < SLOTS; slot++) {
            Instant at = START.plusSeconds(2L * slot);
            int impressions = 1 + random.nextInt(100);
            ClickEvent click = new ClickEvent(random.nextInt(impressions + 1), impressions, at);
            clicks.add(click);
            kafka.send(Topics.CLICKSTREAM, click);
            RandomValueEvent value = new RandomValueEvent(at, random.nextInt(2_001) - 1_000);
            values.add(value);
            kafka.send(Topics.RANDOM_VALUES, value);
            String text = "news " + List.of("#Kafka", "#spark", "#flink #Spark").get(random.nextInt(3));
            tweets.put(at, text);
            kafka.send(Topics.TWITTER, TestEvents.tweet(text, at));
            VoterEvent vote = new VoterEvent(
                    random.nextBoolean() ? "female" : "male",
                    18 + random.nextInt(80),
                    List.of("Green", "Red", "Blue").get(random.nextInt(3)),
                    at);
            votes.add(vote);
            kafka.send(Topics.VOTERS, vote);
            ScotsmenEvent conversion = new ScotsmenEvent(
                    OTHER_DISTRICTS.get(random.nextInt(OTHER_DISTRICTS.size())), 1 + random.nextInt(9), at);
            conversions.add(conversion);
            kafka.send(Topics.SCOTSMEN, conversion);
            // Records exactly at the bounds are valid and count: a 65,536-byte event, a 64-character party, a huge
            // key. The join's case is worked out by hand in EndToEndTest: sale minute 10:02 is within 5 minutes
            // after both Lisboa conversion minutes (10:00, 10:01), so the hour holds 5 + 3 conversions and 2 sales
            // per conversion minute. Each is sent at its own time in the stream, so no watermark drops it.
            switch (slot) {
                case 4 -> {
                    ClickEvent atLimit = new ClickEvent(1, 2, at);
                    clicks.add(atLimit);
                    kafka.sendRaw(Topics.CLICKSTREAM.topicName(), null, padded(Json.toJson(atLimit), MAX_BYTES));
                }
                case 5, 30 -> {
                    ScotsmenEvent lisboa = new ScotsmenEvent("Lisboa", slot == 5 ? 5 : 3, at);
                    conversions.add(lisboa);
                    kafka.send(Topics.SCOTSMEN, lisboa);
                }
                case 6 -> {
                    VoterEvent longParty = new VoterEvent("female", 40, "P".repeat(64), at);
                    votes.add(longParty);
                    kafka.send(Topics.VOTERS, longParty);
                }
                case 7 -> {
                    VoterEvent hugeKey = new VoterEvent("male", 50, "Green", at);
                    votes.add(hugeKey);
                    kafka.sendRaw(Topics.VOTERS.topicName(), "k".repeat(100_000), Json.toBytes(hugeKey));
                }
                case 75 -> kafka.send(Topics.BAGPIPE, new BagpipeSaleEvent("Lisboa", 2, at));
                default -> {}
            }
            if (slot % 3 == 0 && slot / 3 < corpusSize) {
                for (Map.Entry<EventType, List<Hostile>> entry : corpus.entrySet()) {
                    Hostile hostile = entry.getValue().get(slot / 3);
                    RecordMetadata where = kafka.sendRaw(entry.getKey().topicName(), hostile.key(), hostile.value());
                    hostiles.put(where.topic() + "|" + where.partition() + "|" + where.offset(), hostile);
                }
            }
        }
        assertThat(SLOTS / 3).as("every hostile record is sent").isGreaterThanOrEqualTo(corpusSize);

        long scotsmenEnd = SLOTS + corpusSize + 2;
        long bagpipeEnd = corpusSize + 1;
        StreamingQuery join = app.queries().get("scotsmen_bagpipes");
        await().atMost(TIMEOUT)
                .failFast("a pipeline ended", HostileInputTest::anyQueryEnded)
                .untilAsserted(() -> {
                    assertThat(join.lastProgress()).isNotNull();
                    assertThat(Arrays.stream(join.lastProgress().sources()).map(s -> s.endOffset()))
                            .containsExactlyInAnyOrder(
                                    "{\"scotsmen\":{\"0\":" + scotsmenEnd + "}}",
                                    "{\"bagpipe\":{\"0\":" + bagpipeEnd + "}}");
                });
        // Closes the join's hour (and is one more conversion for its own window).
        ScotsmenEvent closing = new ScotsmenEvent("Faro", 1, START.plus(Duration.ofMinutes(70)));
        conversions.add(closing);
        kafka.send(Topics.SCOTSMEN, closing);

        Map<String, Map<String, Number>> expectedClicks = ReferenceWindows.impressionsPerMinute(clicks);
        Map<String, Map<String, Number>> expectedValues = ReferenceWindows.randomValueAverage(values);
        Map<String, Map<String, Number>> expectedTags = ReferenceWindows.hashtagCounts(tweets);
        Map<String, Map<String, Number>> expectedVotes = ReferenceWindows.voterStats(votes);
        Map<String, Map<String, Number>> expectedDistricts = ReferenceWindows.scotsmenPerDistrict(conversions);
        await().atMost(TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .failFast("a pipeline ended", HostileInputTest::anyQueryEnded)
                .untilAsserted(() -> {
                    ReferenceWindows.assertResults(
                            kafka.latest(Topics.results("impressions_per_minute")), expectedClicks);
                    ReferenceWindows.assertResults(kafka.latest(Topics.results("random_value_avg")), expectedValues);
                    ReferenceWindows.assertResults(kafka.latest(Topics.results("hashtag_counts")), expectedTags);
                    ReferenceWindows.assertResults(kafka.latest(Topics.results("voter_stats")), expectedVotes);
                    ReferenceWindows.assertResults(
                            kafka.latest(Topics.results("scotsmen_per_district")), expectedDistricts);
                    ReferenceWindows.assertResults(
                            kafka.latest(Topics.results("scotsmen_bagpipes")),
                            Map.of(
                                    "scotsmen_bagpipes|2024-12-03T10:00:00Z|Lisboa",
                                    Map.of("total_new_scotsmen", 8L, "total_bagpipe_sales", 4L)));
                    assertThat(kafka.latest(Topics.DEAD_LETTERS).keySet()).containsAll(hostiles.keySet());
                });

        List<ConsumerRecord<String, String>> deadLetters = kafka.records(Topics.DEAD_LETTERS);
        assertThat(deadLetters)
                .extracting(ConsumerRecord::key)
                .as("one dead letter per hostile record, no other")
                .containsExactlyInAnyOrderElementsOf(hostiles.keySet());
        for (ConsumerRecord<String, String> record : deadLetters) {
            Hostile hostile = hostiles.get(record.key());
            JsonNode letter = Json.MAPPER.readTree(record.value());
            assertThat(record.value().getBytes(StandardCharsets.UTF_8).length)
                    .as("size of the dead letter of %s", hostile.name())
                    .isLessThan(32 * 1024);
            assertThat(letter.get("error").asText())
                    .as("error of %s", hostile.name())
                    .contains(hostile.error());
            long size = hostile.value() == null ? 0 : hostile.value().length;
            assertThat(letter.get("raw_bytes").asLong())
                    .as("raw_bytes of %s", hostile.name())
                    .isEqualTo(size);
            assertThat(letter.get("raw_truncated").asBoolean())
                    .as("raw_truncated of %s", hostile.name())
                    .isEqualTo(size > DeadLetter.MAX_RAW_BYTES);
        }
        for (String pipeline : DEAD_LETTER_OWNER.values()) {
            for (ConsumerRecord<String, String> result : kafka.records(Topics.results(pipeline))) {
                assertThat(result.key().length() + result.value().length())
                        .as("size of %s", result.key())
                        .isLessThan(4_096);
            }
        }
        // Counted from each batch's progress, which reaches the listener after the batch.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> DEAD_LETTER_OWNER.forEach((topic, pipeline) -> assertThat(registry.scrape())
                        .contains("analytics_dead_letters_total{pipeline=\"" + pipeline + "\",topic=\""
                                + topic.topicName() + "\"} " + corpusSize + ".0")));
        assertThat(anyQueryEnded()).as("no query ended or was replaced").isFalse();
    }

    private static boolean anyQueryEnded() {
        return app.queries().entrySet().stream()
                .anyMatch(e -> !e.getValue().isActive() || !e.getValue().id().equals(startedQueries.get(e.getKey())));
    }

    /** One hostile record: what it is, its key and value as sent, and a part of the reason its dead letter gives. */
    private record Hostile(String name, String key, byte[] value, String error) {}

    /** The same adversarial cases for every topic, built around a valid event of the topic. */
    private static List<Hostile> corpus(EventType topic) {
        String event = event(topic, "2024-12-03T10:00:00Z", "1");
        byte[] controlBytes = new byte[200_000];
        Arrays.fill(controlBytes, (byte) 1);
        // An ignored extra field holding é (C3 A9) with its second byte replaced: a lead byte before an ASCII one.
        byte[] invalidUtf8 = utf8("{\"note\":\"\u00e9\"," + event.substring(1));
        invalidUtf8[10] = (byte) 'x';
        List<Hostile> cases = new ArrayList<>(List.of(
                new Hostile("200 KB of control bytes", null, controlBytes, "exceeds the limit of 65536 bytes"),
                new Hostile("just over the size bound", null, padded(event, MAX_BYTES + 1), "record of 65537 bytes"),
                new Hostile("two events in one record", null, utf8(event + event), "not JSON: Trailing token"),
                new Hostile("trailing garbage", null, utf8(event + "garbage"), "not JSON: "),
                new Hostile(
                        "duplicate member names",
                        null,
                        utf8("{\"dup\":1,\"dup\":2," + event.substring(1)),
                        "Duplicate field 'dup'"),
                new Hostile("invalid UTF-8", null, invalidUtf8, "not valid UTF-8"),
                new Hostile("a NUL byte", null, new byte[] {0}, "not JSON: "),
                new Hostile("a tombstone", "tomb", null, "record has no value"),
                new Hostile("an empty value", "", new byte[0], "not a JSON object"),
                new Hostile("an array", null, utf8("[" + event + "]"), "not a JSON object"),
                new Hostile("an empty object", null, utf8("{}"), "required"),
                new Hostile(
                        "deep nesting",
                        null,
                        utf8("{\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"),
                        "not JSON: "),
                new Hostile("NaN", null, utf8(event(topic, "2024-12-03T10:00:00Z", "NaN")), "not JSON: "),
                new Hostile("Infinity", null, utf8(event(topic, "2024-12-03T10:00:00Z", "-Infinity")), "not JSON: "),
                new Hostile(
                        "an integer beyond 64 bits",
                        null,
                        utf8(event(topic, "2024-12-03T10:00:00Z", "123456789012345678901234567890")),
                        "maximum"),
                new Hostile(
                        "an impossible UTC offset",
                        null,
                        utf8(event(topic, "2024-12-03T10:00:00+25:00", "1")),
                        timeError(topic)),
                new Hostile("a leap second", null, utf8(event(topic, "2016-12-31T23:59:60Z", "1")), timeError(topic)),
                new Hostile(
                        "1970",
                        null,
                        utf8(event(topic, "1970-01-01T00:00:00Z", "1")),
                        topic.equals(Topics.TWITTER) ? "$.timestamp_ms" : "is before 2000"),
                new Hostile(
                        "now + 23 h",
                        null,
                        utf8(event(
                                topic, Instant.now().plus(Duration.ofHours(23)).toString(), "1")),
                        "ahead of the clock"),
                new Hostile(
                        "year 9999",
                        null,
                        utf8(event(topic, "9999-12-31T23:59:59Z", "1")),
                        topic.equals(Topics.TWITTER) ? "$.timestamp_ms" : "ahead of the clock"),
                new Hostile("a huge key", "k".repeat(100_000), utf8("{"), "not JSON: "),
                new Hostile("an empty key", "", utf8("garbage"), "not JSON: ")));
        cases.add(
                switch (topic.topicName()) {
                    case "voters" ->
                        new Hostile(
                                "a 550 KB party",
                                null,
                                utf8(event.replace("\"party\":\"Green\"", "\"party\":\"" + "P".repeat(550_000) + "\"")),
                                "exceeds the limit");
                    case "twitter" ->
                        new Hostile(
                                "20,000 distinct hashtags",
                                null,
                                utf8(event.replace(
                                        "\"text\":\"#x\"",
                                        "\"text\":\""
                                                + IntStream.range(0, 20_000)
                                                        .mapToObj(i -> "#t" + i)
                                                        .collect(Collectors.joining(" "))
                                                + "\"")),
                                "exceeds the limit");
                    case "random-values" ->
                        new Hostile(
                                "a fractional value",
                                null,
                                utf8(event.replace("\"value\":1", "\"value\":1.5")),
                                "$.value");
                    case "clickstream" ->
                        new Hostile(
                                "more clicks than impressions",
                                null,
                                utf8(event.replace("\"Clicks\":0", "\"Clicks\":5")),
                                "exceed Impressions");
                    default ->
                        new Hostile(
                                "a district that does not exist",
                                null,
                                utf8(event.replace("\"Porto\"", "\"Atlantis\"")),
                                "district");
                });
        cases.add(
                switch (topic.topicName()) {
                    case "voters" ->
                        new Hostile(
                                "a 65-character party",
                                null,
                                utf8(event.replace("\"party\":\"Green\"", "\"party\":\"" + "P".repeat(65) + "\"")),
                                "at most 64");
                    case "twitter" ->
                        new Hostile(
                                "a 1,001-character text",
                                null,
                                utf8(event.replace("\"text\":\"#x\"", "\"text\":\"" + "x".repeat(1_001) + "\"")),
                                "at most 1,000");
                    default ->
                        new Hostile(
                                "a NUL character in a field",
                                null,
                                utf8(event.replace("00Z\"", "00\\u0000Z\"")),
                                "does not match the regex pattern");
                });
        cases.add(
                switch (topic.topicName()) {
                    case "voters" ->
                        new Hostile(
                                "a NUL character in a group value",
                                null,
                                utf8(event.replace("\"Green\"", "\"Gr\\u0000een\"")),
                                "$.party: does not match the regex pattern");
                    case "twitter" ->
                        new Hostile(
                                "a NUL character in the key field",
                                null,
                                utf8(event.replace("\"id_str\":\"1\"", "\"id_str\":\"1\\u0000\"")),
                                "$.user.id_str");
                    case "scotsmen", "bagpipe" ->
                        new Hostile(
                                "a NUL character in a district",
                                null,
                                utf8(event.replace("\"Porto\"", "\"Por\\u0000to\"")),
                                "$.district");
                    default ->
                        new Hostile(
                                "a control character in the time",
                                null,
                                utf8(event.replace("00Z\"", "00Z\\u0001\"")),
                                "does not match the regex pattern");
                });
        return cases;
    }

    private static String timeError(EventType topic) {
        return topic.equals(Topics.TWITTER) ? "$.timestamp_ms" : "not an ISO-8601 timestamp";
    }

    /** A valid event of the topic but for the two given parts: its time (ISO-8601) and one integer field. */
    private static String event(EventType topic, String time, String integer) {
        return switch (topic.topicName()) {
            case "clickstream" -> "{\"Clicks\":0,\"Impressions\":" + integer + ",\"ts\":\"" + time + "\"}";
            case "random-values" -> "{\"ts\":\"" + time + "\",\"value\":" + integer + "}";
            case "twitter" ->
                "{\"text\":\"#x\",\"timestamp_ms\":\"" + millis(time) + "\",\"user\":{\"id_str\":\"1\","
                        + "\"screen_name\":\"a\",\"followers_count\":" + integer + "}}";
            case "voters" ->
                "{\"gender\":\"f\",\"age\":" + (integer.equals("1") ? "30" : integer)
                        + ",\"party\":\"Green\",\"timestamp\":\"" + time + "\"}";
            case "scotsmen" ->
                "{\"district\":\"Porto\",\"new_scotsmen\":" + integer + ",\"timestamp\":\"" + time + "\"}";
            case "bagpipe" ->
                "{\"district\":\"Porto\",\"bagpipe_sales\":" + integer + ",\"timestamp\":\"" + time + "\"}";
            default -> throw new IllegalArgumentException(topic.topicName());
        };
    }

    /** Epoch milliseconds of an ISO time, or the text itself when it is no valid time (a leap second is none). */
    private static String millis(String time) {
        try {
            return Long.toString(OffsetDateTime.parse(time).toInstant().toEpochMilli());
        } catch (RuntimeException e) {
            return time;
        }
    }

    /** The JSON object with an ignored extra field that makes it exactly {@code bytes} long. */
    private static byte[] padded(String json, int bytes) {
        String prefix = "{\"pad\":\"";
        String suffix = "\"," + json.substring(1);
        return utf8(prefix + "x".repeat(bytes - prefix.length() - suffix.length()) + suffix);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
