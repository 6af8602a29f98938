package io.streamanalytics.schemas.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.streamanalytics.schemas.reference.Districts;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random mutations of valid events against an oracle built independently of {@link EventValidator}: UTF-8 by
 * round trip, RFC 8259 by a separately configured parser, the published JSON Schema as a file, and the two extra
 * rules spelled out again here. The validator must never throw and must accept a record exactly when the oracle
 * does; a disagreement means the schema a producer validates against and the service's verdict have drifted.
 */
class EventValidatorPropertiesTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration SKEW = Duration.ofMinutes(2);
    private static final int MAX_BYTES = 2_048;
    private static final EventValidator VALIDATOR = new EventValidator(
            Clock.fixed(NOW, ZoneOffset.UTC), new EventValidator.Limits(MAX_BYTES, new EventTimeBounds(SKEW)));
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Map<EventType, JsonSchema> SCHEMAS = schemas();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 3_000)
    void shouldAcceptExactlyWhatTheSchemaAndTheRulesAcceptAndNeverThrow(@ForAll long seed) {
        Random random = new Random(seed);
        EventType topic = Topics.INPUTS.get(random.nextInt(Topics.INPUTS.size()));
        ObjectNode event = validEvent(topic, random);
        int treeMutations = random.nextInt(3);
        for (int i = 0; i < treeMutations; i++) {
            mutateTree(event, random);
        }
        byte[] value = mutateBytes(STRICT.valueToTree(event).toString().getBytes(StandardCharsets.UTF_8), random);

        Validation verdict = VALIDATOR.validate(topic, value);

        String oracle = oracle(topic, value);
        assertThat(verdict instanceof Validation.Valid)
                .as(
                        "record %s: validator says %s, oracle says %s",
                        new String(value, StandardCharsets.UTF_8), verdict, oracle == null ? "valid" : oracle)
                .isEqualTo(oracle == null);
    }

    /** Null when the record is valid, else why not. */
    private static String oracle(EventType topic, byte[] value) {
        if (value.length > MAX_BYTES) {
            return "too large";
        }
        String text = new String(value, StandardCharsets.UTF_8);
        if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), value)) {
            return "not UTF-8";
        }
        JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            return "not JSON";
        }
        if (node == null || !node.isObject()) {
            return "not an object";
        }
        if (!SCHEMAS.get(topic).validate(node).isEmpty()) {
            return "schema";
        }
        if (topic.equals(Topics.CLICKSTREAM)
                && node.get("Clicks").asLong() > node.get("Impressions").asLong()) {
            return "clicks above impressions";
        }
        Instant eventTime;
        try {
            eventTime = eventTime(topic, node);
        } catch (DateTimeParseException e) {
            return "no such time";
        }
        if (eventTime.isBefore(Instant.parse("2000-01-01T00:00:00Z")) || eventTime.isAfter(NOW.plus(SKEW))) {
            return "implausible time";
        }
        return null;
    }

    private static Instant eventTime(EventType topic, JsonNode node) {
        if (topic.equals(Topics.TWITTER)) {
            return Instant.ofEpochMilli(Long.parseLong(node.get("timestamp_ms").asText()));
        }
        String text = node.get(
                        topic.equals(Topics.CLICKSTREAM) || topic.equals(Topics.RANDOM_VALUES) ? "ts" : "timestamp")
                .asText();
        boolean hasOffset = text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$");
        return hasOffset
                ? OffsetDateTime.parse(text).toInstant()
                : LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }

    private static ObjectNode validEvent(EventType topic, Random random) {
        ObjectNode node = NODES.objectNode();
        String time = time(random);
        if (topic.equals(Topics.CLICKSTREAM)) {
            int impressions = random.nextInt(1_000);
            node.put("Clicks", random.nextInt(impressions + 1))
                    .put("Impressions", impressions)
                    .put("ts", time);
        } else if (topic.equals(Topics.RANDOM_VALUES)) {
            node.put("ts", time).put("value", random.nextInt());
        } else if (topic.equals(Topics.TWITTER)) {
            node.put("text", "#kafka meets #spark " + random.nextInt(100))
                    .put(
                            "timestamp_ms",
                            Long.toString(Instant.parse(time.endsWith("Z") ? time : time + "Z")
                                    .toEpochMilli()))
                    .put("lang", "en");
            node.putObject("user")
                    .put("id_str", Integer.toString(random.nextInt(1_000_000)))
                    .put("screen_name", "ann");
            node.putObject("entities").putArray("hashtags").addObject().put("text", "kafka");
        } else if (topic.equals(Topics.VOTERS)) {
            node.put("gender", random.nextBoolean() ? "female" : "male")
                    .put("age", 18 + random.nextInt(103))
                    .put("party", "Green")
                    .put("timestamp", time);
        } else {
            node.put(
                            "district",
                            Districts.ALL
                                    .get(random.nextInt(Districts.ALL.size()))
                                    .name())
                    .put(topic.equals(Topics.SCOTSMEN) ? "new_scotsmen" : "bagpipe_sales", random.nextInt(50))
                    .put("timestamp", time);
        }
        return node;
    }

    /** Mostly plausible times, some before 2000 and some just beyond the accepted skew. */
    private static String time(Random random) {
        long from = Instant.parse("1998-01-01T00:00:00Z").getEpochSecond();
        long to = NOW.plus(Duration.ofMinutes(4)).getEpochSecond();
        Instant instant = Instant.ofEpochSecond(
                random.nextInt(4) == 0 ? to - random.nextInt(480) : from + (long) (random.nextDouble() * (to - from)));
        String text = instant.toString();
        return random.nextInt(5) == 0 ? text.substring(0, text.length() - 1) : text;
    }

    private static void mutateTree(ObjectNode event, Random random) {
        List<String> names = new ArrayList<>();
        event.fieldNames().forEachRemaining(names::add);
        String name = names.isEmpty() ? "x" : names.get(random.nextInt(names.size()));
        switch (random.nextInt(4)) {
            case 0 -> event.remove(name);
            case 1 -> event.set(name, randomValue(random));
            case 2 -> event.set("extra_" + random.nextInt(3), randomValue(random));
            default -> {
                JsonNode user = event.get("user");
                if (user instanceof ObjectNode object) {
                    object.set(random.nextBoolean() ? "id_str" : "screen_name", randomValue(random));
                } else {
                    event.set(name, randomValue(random));
                }
            }
        }
    }

    private static JsonNode randomValue(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(200) - 100);
            case 3 -> NODES.numberNode(new BigInteger(70, random));
            case 4 -> NODES.numberNode(2_147_483_647L + random.nextInt(3) - 1);
            case 5 -> NODES.numberNode(random.nextDouble() * 100);
            case 6 -> NODES.numberNode(random.nextInt(10) + 0.0);
            case 7 -> NODES.textNode("x".repeat(random.nextInt(1_200)));
            case 8 -> NODES.textNode("Ver" + (char) random.nextInt(0x20) + "de");
            case 9 ->
                NODES.textNode(
                        "2024-12-03T10:12:" + (50 + random.nextInt(11)) + (random.nextBoolean() ? "Z" : "+25:00"));
            case 10 -> NODES.textNode(Long.toString(Math.abs(random.nextLong()) % 100_000_000_000_000L));
            case 11 ->
                NODES.textNode(Districts.ALL
                        .get(random.nextInt(Districts.ALL.size()))
                        .name()
                        .toUpperCase());
            case 12 -> {
                ArrayNode array = NODES.arrayNode();
                array.add(1).add("a");
                yield array;
            }
            default -> NODES.objectNode().put("id_str", "1").put("screen_name", "a");
        };
    }

    private static byte[] mutateBytes(byte[] json, Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> Arrays.copyOf(json, random.nextInt(json.length + 1));
            case 1 -> {
                byte[] copy = json.clone();
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                yield copy;
            }
            case 2 -> concat(json, json);
            case 3 -> concat(json, " garbage".getBytes(StandardCharsets.UTF_8));
            case 4 -> concat("{\"ts\":1,".getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(json, 1, json.length));
            case 5 -> concat(json, "\n\t ".getBytes(StandardCharsets.UTF_8));
            case 6 -> concat(concat("[".getBytes(StandardCharsets.UTF_8), json), "]".getBytes(StandardCharsets.UTF_8));
            default -> json;
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static Map<EventType, JsonSchema> schemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        Map<EventType, JsonSchema> schemas = new HashMap<>();
        for (EventType topic : Topics.INPUTS) {
            try (InputStream in = EventValidatorPropertiesTest.class.getResourceAsStream(topic.schemaResource())) {
                schemas.put(topic, factory.getSchema(in));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return schemas;
    }
}
