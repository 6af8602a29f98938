package io.streamanalytics.schemas.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.reference.Districts;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The compiled fast path against the reference it replaces (networknt's JSON Schema interpretation on a strict
 * Jackson tree, Jackson's binding, the business rules), on a generated corpus: valid events of all six types, then
 * mutated in their tree (type confusions, missing, extra and null fields, bounds and lengths one either side,
 * impossible timestamps, nested tweet parts) and in their bytes (duplicate names, trailing tokens, invalid UTF-8,
 * other encodings, truncation). The fast path alone must reach the reference's verdict on every record and, for a
 * valid one, build the very same event.
 */
class CompiledValidatorCorpusTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration SKEW = Duration.ofMinutes(2);
    private static final ReferenceValidator REFERENCE =
            new ReferenceValidator(Clock.fixed(NOW, ZoneOffset.UTC), new EventTimeBounds(SKEW));
    private static final CompiledValidator COMPILED = new CompiledValidator();
    private static final EventValidator VALIDATOR = new EventValidator(
            Clock.fixed(NOW, ZoneOffset.UTC), new EventValidator.Limits(Integer.MAX_VALUE, new EventTimeBounds(SKEW)));
    private static final ObjectMapper WRITER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 10_000)
    void shouldReachTheReferenceVerdictAndBuildTheReferenceEventOnEveryGeneratedRecord(@ForAll long seed) {
        Random random = new Random(seed);
        EventType topic = Topics.INPUTS.get(random.nextInt(Topics.INPUTS.size()));
        byte[] value = record(topic, random);

        Object reference = verdict(() -> REFERENCE.validate(topic, value));
        Event event = COMPILED.read(topic, value);
        Object compiled = event == null
                ? "invalid"
                : verdict(() -> {
                    String rule = REFERENCE.businessRule(event);
                    return rule == null ? new Validation.Valid(event) : new Validation.Invalid(rule);
                });

        Statistics.collect(reference instanceof Validation.Valid ? "valid" : kind(REFERENCE, topic, value));
        assertThat(compiled)
                .as("verdict (with the event if valid) on %s", text(value))
                .isEqualTo(reference);
    }

    @Property(tries = 2_000)
    void shouldGiveTheReferenceReasonForEveryRejectedRecord(@ForAll long seed) {
        Random random = new Random(seed);
        EventType topic = Topics.INPUTS.get(random.nextInt(Topics.INPUTS.size()));
        byte[] value = record(topic, random);

        assertThat(outcome(() -> VALIDATOR.validate(topic, value)))
                .as("record %s", text(value))
                .isEqualTo(outcome(() -> REFERENCE.validate(topic, value)));
    }

    /** A valid record's Validation (it holds the event), "invalid" for any rejection, or what was thrown. */
    private static Object verdict(Supplier<Validation> validation) {
        Object outcome = outcome(validation);
        return outcome instanceof Validation.Invalid ? "invalid" : outcome;
    }

    /** The Validation, or what the validator threw (it must not, but the two paths must then agree too). */
    private static Object outcome(Supplier<Validation> validation) {
        try {
            return validation.get();
        } catch (RuntimeException e) {
            return "threw " + e;
        }
    }

    /** What kind of rejection, so the corpus report shows each kind is reached often. */
    private static String kind(ReferenceValidator reference, EventType topic, byte[] value) {
        Object outcome = outcome(() -> reference.validate(topic, value));
        if (outcome instanceof Validation.Invalid invalid) {
            String reason = invalid.reason();
            return reason.startsWith("not ")
                    ? reason.replaceAll(":.*", "")
                    : reason.startsWith("event time") || reason.startsWith("Clicks")
                            ? "business rule"
                            : reason.startsWith("$")
                                            && !reason.contains(";")
                                            && (reason.contains("ISO-8601") || reason.contains("out of range"))
                                    ? "binding"
                                    : "schema";
        }
        return String.valueOf(outcome);
    }

    @Test
    void shouldRefuseToCompileASchemaKeywordItDoesNotCheck() throws JsonProcessingException {
        JsonNode schema = WRITER.readTree(
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"format\":\"email\"}}}");

        assertThatThrownBy(() -> CompiledSchema.compile(schema))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.a")
                .hasMessageContaining("format");
    }

    /** A record of the topic: mostly a valid event, mutated in its tree and then in its bytes. */
    private static byte[] record(EventType topic, Random random) {
        ObjectNode event = validEvent(topic, random);
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            mutateTree(event, random);
        }
        try {
            byte[] json = random.nextInt(8) == 0
                    ? WRITER.writer()
                            .with(JsonGenerator.Feature.ESCAPE_NON_ASCII)
                            .writeValueAsBytes(event)
                    : WRITER.writeValueAsBytes(event);
            return random.nextInt(3) == 0 ? mutateBytes(json, random) : json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode validEvent(EventType topic, Random random) {
        ObjectNode node = NODES.objectNode();
        if (topic.equals(Topics.CLICKSTREAM)) {
            int impressions = random.nextInt(1_000);
            node.put("Clicks", random.nextInt(impressions + 1))
                    .put("Impressions", impressions)
                    .put("ts", time(random));
        } else if (topic.equals(Topics.RANDOM_VALUES)) {
            node.put("ts", time(random)).put("value", random.nextInt());
        } else if (topic.equals(Topics.TWITTER)) {
            tweet(node, random);
        } else if (topic.equals(Topics.VOTERS)) {
            node.put("gender", random.nextBoolean() ? "female" : "male")
                    .put("age", 18 + random.nextInt(103))
                    .put("party", random.nextBoolean() ? "Green" : "Partido Ecologista \"Os Verdes\" é")
                    .put("timestamp", time(random));
        } else {
            node.put(
                            "district",
                            Districts.ALL
                                    .get(random.nextInt(Districts.ALL.size()))
                                    .name())
                    .put(topic.equals(Topics.SCOTSMEN) ? "new_scotsmen" : "bagpipe_sales", random.nextInt(50))
                    .put("timestamp", time(random));
        }
        return node;
    }

    /** A tweet with each optional part present or not. */
    private static void tweet(ObjectNode node, Random random) {
        Instant at = Instant.parse("2016-07-29T12:46:00Z").plusSeconds(random.nextInt(300_000_000));
        node.put("text", "#kafka meets #spark " + random.nextInt(100))
                .put("timestamp_ms", Long.toString(at.toEpochMilli()));
        if (random.nextBoolean()) {
            node.put("created_at", "Fri Jul 29 12:46:00 +0000 2016")
                    .put("id", Math.abs(random.nextLong()))
                    .put("id_str", Long.toString(random.nextInt(1_000_000)));
        }
        if (random.nextBoolean()) {
            node.put("lang", random.nextBoolean() ? "en" : null);
        }
        ObjectNode user = node.putObject("user")
                .put("id_str", Integer.toString(random.nextInt(1_000_000)))
                .put("screen_name", "ann");
        if (random.nextBoolean()) {
            user.put("id", random.nextInt(1_000_000))
                    .put("name", random.nextBoolean() ? "Ann 😀" : null)
                    .put("lang", "pt")
                    .put("followers_count", random.nextInt(10_000));
        }
        if (random.nextBoolean()) {
            ArrayNode hashtags = node.putObject("entities").putArray("hashtags");
            for (int i = random.nextInt(3); i > 0; i--) {
                ObjectNode hashtag = hashtags.addObject().put("text", random.nextBoolean() ? "kafka" : "spark");
                if (random.nextBoolean()) {
                    hashtag.putArray("indices").add(random.nextInt(10)).add(10 + random.nextInt(10));
                }
            }
        }
    }

    /** Mostly plausible ISO-8601 times in every accepted form, some before 2000 and some beyond the skew. */
    private static String time(Random random) {
        long from = Instant.parse("1999-06-01T00:00:00Z").getEpochSecond();
        long to = NOW.plus(Duration.ofMinutes(4)).getEpochSecond();
        Instant instant = Instant.ofEpochSecond(
                random.nextInt(4) == 0 ? to - random.nextInt(480) : from + (long) (random.nextDouble() * (to - from)),
                random.nextInt(3) == 0 ? random.nextInt(1_000_000_000) : 0);
        return switch (random.nextInt(4)) {
            case 0 -> instant.toString();
            case 1 -> instant.toString().replace("Z", "");
            case 2 ->
                instant.atOffset(ZoneOffset.ofHoursMinutes(random.nextInt(37) - 18, 0))
                        .toString();
            default -> instant.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString();
        };
    }

    private static void mutateTree(ObjectNode event, Random random) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(event, objects);
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        String name = names.isEmpty() ? "text" : names.get(random.nextInt(names.size()));
        switch (random.nextInt(6)) {
            case 0 -> target.remove(name);
            case 1 -> target.set("extra_" + random.nextInt(3), randomValue(random));
            case 2 -> target.put(name, TIMESTAMPS.get(random.nextInt(TIMESTAMPS.size())));
            default -> target.set(name, randomValue(random));
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
        if (node instanceof ObjectNode object) {
            objects.add(object);
        }
        node.elements().forEachRemaining(child -> collectObjects(child, objects));
    }

    private static final List<String> TIMESTAMPS = List.of(
            "2024-12-03T10:12:47Z",
            "2024-12-03T10:12:47",
            "2024-12-03T10:12:47.5Z",
            "2024-12-03T10:12:47.123456789+01:00",
            "2024-12-03T10:12:47.1234567890Z",
            "2024-12-03T10:12:47.Z",
            "2024-12-03T10:12Z",
            "2024-12-03 10:12:47Z",
            "2024-12-03t10:12:47z",
            "2024-12-03T10:12:47+25:00",
            "2024-12-03T10:12:47+18:00",
            "2024-12-03T10:12:47-18:00",
            "2024-12-03T10:12:47+18:01",
            "2024-12-03T10:12:47+17:59",
            "2024-12-03T10:12:47+05:60",
            "2024-12-03T10:12:47-00:00",
            "2024-12-03T10:12:47+0100",
            "2024-12-03T24:00:00Z",
            "2016-12-31T23:59:60Z",
            "2024-02-29T10:00:00Z",
            "2023-02-29T10:00:00Z",
            "2000-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2024-04-31T10:00:00Z",
            "2024-13-01T10:00:00Z",
            "2024-00-10T10:00:00Z",
            "2024-12-00T10:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "1999-12-31T23:59:59Z",
            "2000-01-01T00:00:00Z",
            "2000-01-01T00:59:59+01:00",
            "2025-06-01T12:02:00Z",
            "2025-06-01T12:02:00.000000001Z",
            "2024-12-03T10:12:47Z\n",
            "2024-12-03T10:12:47Z\r\n",
            "2024-12-03T10:12:47Z\r",
            "2024-12-03T10:12:47\u2028",
            "2024-12-03T10:12:47.123456789+01:00\n",
            " 2024-12-03T10:12:47Z",
            "2024-12-03T10:12:47Z\n\n",
            "２０２４-12-03T10:12:47Z",
            "");

    private static JsonNode randomValue(Random random) {
        return switch (random.nextInt(22)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(200) - 100);
            case 3 -> NODES.numberNode(new BigInteger(70, random));
            case 4 ->
                NODES.numberNode(List.of(
                                0L,
                                -1L,
                                17L,
                                18L,
                                120L,
                                121L,
                                2_147_483_647L,
                                2_147_483_648L,
                                -2_147_483_648L,
                                -2_147_483_649L,
                                Long.MAX_VALUE,
                                Long.MIN_VALUE)
                        .get(random.nextInt(12)));
            case 5 -> NODES.numberNode(new BigInteger("9223372036854775808"));
            case 6 -> NODES.numberNode(random.nextDouble() * 100);
            case 7 ->
                NODES.numberNode(List.of(3.0, -0.0, 1e19, 2_147_483_647.0, 2_147_483_648.0, 1e300, 18.0, 120.5)
                        .get(random.nextInt(8)));
            case 8 ->
                NODES.textNode(List.of("x", "é", "😀")
                        .get(random.nextInt(3))
                        .repeat(List.of(
                                        0, 1, 15, 16, 17, 31, 32, 33, 35, 36, 49, 50, 51, 63, 64, 65, 99, 100, 101, 999,
                                        1000, 1001)
                                .get(random.nextInt(22))));
            case 9 -> NODES.textNode("Ver" + (char) random.nextInt(0x20) + "de");
            case 10 ->
                NODES.textNode(List.of(
                                "Verde\n",
                                "Verde\r\n",
                                "Verde\r",
                                "Verde\u0085",
                                "Verde\u007f",
                                "Verde\n\n",
                                "\nVerde",
                                "Verde\u2028",
                                "")
                        .get(random.nextInt(9)));
            case 11 -> NODES.textNode(TIMESTAMPS.get(random.nextInt(TIMESTAMPS.size())));
            case 12 ->
                NODES.textNode(List.of(
                                "946684800000",
                                "1733220000000",
                                "173322000000",
                                "173322000",
                                "12345678901234",
                                "123456789012345",
                                "1733220000000\n",
                                "-1733220000000",
                                "1733220000000.0",
                                "١٧٣٣٢٢٠٠٠٠٠٠٠")
                        .get(random.nextInt(10)));
            case 13 ->
                NODES.textNode(
                        Districts.ALL.get(random.nextInt(Districts.ALL.size())).name());
            case 14 ->
                NODES.textNode(List.of("LISBOA", "Lisbon", "Evora", "Lisboa ", "Castelo Branco")
                        .get(random.nextInt(5)));
            case 15 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(random.nextBoolean() ? NODES.numberNode(random.nextInt(30) - 5) : randomValue(random));
                }
                yield array;
            }
            case 16 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = 500 + random.nextInt(2); i > 0; i--) {
                    array.addObject().put("text", "t");
                }
                yield array;
            }
            case 17 -> NODES.objectNode().put("id_str", "1").put("screen_name", "a");
            case 18 -> {
                ArrayNode hashtags = NODES.arrayNode();
                hashtags.addObject()
                        .put("text", "kafka")
                        .putArray("indices")
                        .add(0)
                        .add(6);
                yield NODES.objectNode().set("hashtags", hashtags);
            }
            case 19 ->
                NODES.objectNode()
                        .put("text", "spark")
                        .set("indices", NODES.arrayNode().add(1).add(2).add(3));
            case 20 -> NODES.objectNode();
            default -> NODES.arrayNode();
        };
    }

    private static final List<byte[]> INSERTIONS = List.of(
            utf8("\\ud800"),
            utf8("\\u0000"),
            utf8("\""),
            utf8(","),
            utf8("}"),
            utf8("{\"a\":1}"),
            utf8("\n"),
            utf8(" "),
            new byte[] {(byte) 0xC0, (byte) 0x80},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xC3},
            new byte[] {(byte) 0xE2, (byte) 0x82},
            new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80},
            new byte[] {0},
            new byte[] {(byte) 0xFF});

    private static byte[] mutateBytes(byte[] json, Random random) {
        String text = new String(json, StandardCharsets.UTF_8);
        return switch (random.nextInt(14)) {
            case 0 -> Arrays.copyOf(json, random.nextInt(json.length + 1));
            case 1 -> {
                byte[] copy = json.clone();
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                yield copy;
            }
            case 2 -> concat(json, json);
            case 3 ->
                concat(
                        json,
                        utf8(List.of(" garbage", "}", "]", "1", "null", "{").get(random.nextInt(6))));
            case 4 -> concat(json, utf8(List.of("\n\t ", "\r\n", " ").get(random.nextInt(3))));
            case 5 -> concat(utf8("["), concat(json, utf8("]")));
            case 6 -> {
                // The first member again, at the end: a duplicate name at the top.
                int colon = text.indexOf(':');
                yield text.length() < 3 || colon < 0
                        ? json
                        : utf8(text.substring(0, text.length() - 1) + "," + text.substring(1, colon) + ":1}");
            }
            case 7 ->
                utf8(text.substring(0, text.length() - 1) + ",\"extra\":{\"a\":1,\"a\":" + random.nextInt(2) + "}}");
            case 8 -> utf8(text.replaceFirst("\\{\"", "{\"nested_dup\":[{\"b\":1,\"b\":1}],\""));
            case 9 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, json);
            case 10 ->
                text.getBytes(List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16)
                        .get(random.nextInt(3)));
            case 11 -> utf8(text.replace("\"", "'"));
            default -> {
                int at = random.nextInt(json.length + 1);
                byte[] insertion = INSERTIONS.get(random.nextInt(INSERTIONS.size()));
                yield concat(concat(Arrays.copyOf(json, at), insertion), Arrays.copyOfRange(json, at, json.length));
            }
        };
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8).replace("\n", "\\n").replace("\r", "\\r") + " "
                + Arrays.toString(Arrays.copyOf(value, Math.min(value.length, 16)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
