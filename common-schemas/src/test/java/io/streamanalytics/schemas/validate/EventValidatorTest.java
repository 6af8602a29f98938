package io.streamanalytics.schemas.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
    private final EventValidator validator = new EventValidator(NOW);

    @Test
    void shouldAcceptContractEventAndIgnoreUnknownFields() {
        Validation result = validator.validate(
                Topics.SCOTSMEN,
                "{\"district\":\"Évora\",\"new_scotsmen\":3,\"timestamp\":\"2024-12-03T10:12:47Z\",\"source\":\"sensor-7\"}");

        assertThat(result)
                .isEqualTo(new Validation.Valid(new ScotsmenEvent("Évora", 3, Instant.parse("2024-12-03T10:12:47Z"))));
    }

    @Test
    void shouldReadTimestampWithoutOffsetAsUtcAndWithOffsetAsGiven() {
        Validation noOffset = validator.validate(
                Topics.CLICKSTREAM, "{\"Clicks\":1,\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47\"}");
        Validation withOffset = validator.validate(
                Topics.CLICKSTREAM, "{\"Clicks\":1,\"Impressions\":2,\"ts\":\"2024-12-03T11:12:47+01:00\"}");

        ClickEvent expected = new ClickEvent(1, 2, Instant.parse("2024-12-03T10:12:47Z"));
        assertThat(noOffset).isEqualTo(new Validation.Valid(expected));
        assertThat(withOffset).isEqualTo(new Validation.Valid(expected));
    }

    @Test
    void shouldRejectTextThatIsNotJson() {
        assertThat(reason(Topics.VOTERS, "{\"gender\":\"female\",\"age\":")).startsWith("not JSON: ");
    }

    @Test
    void shouldNameTheMissingRequiredField() {
        assertThat(reason(Topics.SCOTSMEN, "{\"district\":\"Porto\",\"timestamp\":\"2024-12-03T10:12:47Z\"}"))
                .contains("new_scotsmen")
                .contains("required");
    }

    @Test
    void shouldNameTheFieldOfWrongType() {
        assertThat(reason(
                        Topics.CLICKSTREAM, "{\"Clicks\":\"many\",\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47Z\"}"))
                .contains("Clicks")
                .contains("string")
                .contains("integer");
    }

    @Test
    void shouldRejectDistrictNotInThePopulationTable() {
        assertThat(reason(
                        Topics.BAGPIPE,
                        "{\"district\":\"Lisbon\",\"bagpipe_sales\":2,\"timestamp\":\"2024-12-03T10:12:47Z\"}"))
                .contains("district");
    }

    @Test
    void shouldRejectMoreClicksThanImpressions() {
        assertThat(reason(Topics.CLICKSTREAM, "{\"Clicks\":5,\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47Z\"}"))
                .isEqualTo("Clicks (5) exceed Impressions (2)");
    }

    @Test
    void shouldRejectAbsurdTimestampsBeforeYear2000AndMoreThanTheSkewAhead() {
        assertThat(reason(Topics.RANDOM_VALUES, "{\"ts\":\"1970-01-01T00:00:00Z\",\"value\":3}"))
                .isEqualTo("event time 1970-01-01T00:00:00Z is before 2000-01-01T00:00:00Z");
        assertThat(reason(Topics.RANDOM_VALUES, "{\"ts\":\"2025-06-01T12:02:00.001Z\",\"value\":3}"))
                .isEqualTo(
                        "event time 2025-06-01T12:02:00.001Z is more than 120 s ahead of the clock (2025-06-01T12:00:00Z)");
        assertThat(validator.validate(Topics.RANDOM_VALUES, "{\"ts\":\"2025-06-01T12:02:00Z\",\"value\":3}"))
                .isInstanceOf(Validation.Valid.class);
        // Long past data (replays, the deterministic mode) stays valid.
        assertThat(validator.validate(Topics.RANDOM_VALUES, "{\"ts\":\"2000-01-01T00:00:00Z\",\"value\":3}"))
                .isInstanceOf(Validation.Valid.class);
    }

    @Test
    void shouldTakeTheAcceptedSkewFromItsLimits() {
        EventValidator strict =
                new EventValidator(NOW, new EventValidator.Limits(1024, new EventTimeBounds(Duration.ofSeconds(5))));

        assertThat(strict.validate(Topics.RANDOM_VALUES, "{\"ts\":\"2025-06-01T12:00:05Z\",\"value\":3}"))
                .isInstanceOf(Validation.Valid.class);
        assertThat(strict.validate(Topics.RANDOM_VALUES, "{\"ts\":\"2025-06-01T12:00:06Z\",\"value\":3}"))
                .isEqualTo(new Validation.Invalid(
                        "event time 2025-06-01T12:00:06Z is more than 5 s ahead of the clock (2025-06-01T12:00:00Z)"));
    }

    @Test
    void shouldRejectEverythingButExactlyOneJsonObject() {
        String event = "{\"Clicks\":1,\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47Z\"}";
        assertThat(reason(Topics.CLICKSTREAM, event + event)).startsWith("not JSON: Trailing token");
        assertThat(reason(Topics.CLICKSTREAM, event + "garbage")).startsWith("not JSON: ");
        assertThat(reason(
                        Topics.CLICKSTREAM,
                        "{\"Clicks\":1,\"Clicks\":0,\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47Z\"}"))
                .startsWith("not JSON: Duplicate field 'Clicks'");
        assertThat(reason(Topics.CLICKSTREAM, "[" + event + "]")).isEqualTo("not a JSON object");
        assertThat(reason(Topics.CLICKSTREAM, "")).isEqualTo("not a JSON object");
        assertThat(reason(Topics.CLICKSTREAM, "{\"Clicks\":NaN,\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47Z\"}"))
                .startsWith("not JSON: ");
        assertThat(reason(Topics.CLICKSTREAM, "[".repeat(2_000) + "]".repeat(2_000)))
                .startsWith("not JSON: ");
        // Whitespace around the one value is no second value.
        assertThat(validator.validate(Topics.CLICKSTREAM, " \n" + event + "\r\n"))
                .isInstanceOf(Validation.Valid.class);
    }

    @Test
    void shouldRejectInvalidUtf8InsteadOfReplacingIt() {
        byte[] valid = "{\"gender\":\"f\",\"age\":30,\"party\":\"Verde\",\"timestamp\":\"2024-12-03T10:12:47Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] broken = valid.clone();
        broken[40] = (byte) 0xC3; // a lead byte followed by an ASCII byte, inside "Verde"

        assertThat(validator.validate(Topics.VOTERS, valid)).isInstanceOf(Validation.Valid.class);
        assertThat(validator.validate(Topics.VOTERS, broken))
                .isEqualTo(new Validation.Invalid("not valid UTF-8: malformed byte sequence at byte 40"));
        assertThat(validator.validate(Topics.VOTERS, (byte[]) null))
                .isEqualTo(new Validation.Invalid("record has no value (a tombstone)"));
    }

    @Test
    void shouldRejectARecordOverTheSizeLimitWithoutParsingIt() {
        String event = "{\"Clicks\":1,\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47Z\",\"pad\":\"\"}";
        int limit = EventValidator.DEFAULT_MAX_RECORD_BYTES;
        String atLimit = event.replace("\"pad\":\"\"", "\"pad\":\"" + "x".repeat(limit - event.length()) + "\"");
        String overLimit = atLimit.replace("\"pad\":\"", "\"pad\":\"x");

        assertThat(validator.validate(Topics.CLICKSTREAM, atLimit.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Validation.Valid.class);
        assertThat(validator.validate(Topics.CLICKSTREAM, overLimit.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Validation.Invalid("record of 65537 bytes exceeds the limit of 65536 bytes"));
        assertThat(validator.validate(Topics.CLICKSTREAM, overLimit))
                .isEqualTo(new Validation.Invalid("record of 65537 bytes exceeds the limit of 65536 bytes"));
    }

    @Test
    void shouldBoundEveryStringThatCanBecomeAResultField() {
        String voter = "{\"gender\":\"f\",\"age\":30,\"party\":\"%s\",\"timestamp\":\"2024-12-03T10:12:47Z\"}";
        assertThat(validator.validate(Topics.VOTERS, voter.formatted("p".repeat(64))))
                .isInstanceOf(Validation.Valid.class);
        assertThat(reason(Topics.VOTERS, voter.formatted("p".repeat(65))))
                .contains("party")
                .contains("64");
        assertThat(reason(Topics.VOTERS, voter.formatted("Ver\\u0000de")))
                .contains("party")
                .contains("pattern");
        String tweet =
                "{\"text\":\"%s\",\"timestamp_ms\":\"1733220000000\",\"user\":{\"id_str\":\"42\",\"screen_name\":\"a\"}}";
        assertThat(validator.validate(Topics.TWITTER, tweet.formatted("#a ".repeat(333))))
                .isInstanceOf(Validation.Valid.class);
        assertThat(reason(Topics.TWITTER, tweet.formatted("#a ".repeat(334))))
                .isEqualTo("$.text: must be at most 1,000 characters long");
    }

    @Test
    void shouldRejectIntegersBeyondTheirJavaType() {
        assertThat(reason(
                        Topics.SCOTSMEN,
                        "{\"district\":\"Porto\",\"new_scotsmen\":2147483648,\"timestamp\":\"2024-12-03T10:12:47Z\"}"))
                .contains("new_scotsmen")
                .contains("2147483647");
        assertThat(reason(
                        Topics.RANDOM_VALUES,
                        "{\"ts\":\"2024-12-03T10:12:47Z\",\"value\":123456789012345678901234567890}"))
                .contains("value");
    }

    @Test
    void shouldRejectImpossibleOffsetsAndLeapSeconds() {
        for (String ts : List.of("2024-12-03T10:12:47+25:00", "2016-12-31T23:59:60Z", "2024-02-30T10:00:00Z")) {
            assertThat(reason(Topics.RANDOM_VALUES, "{\"ts\":\"" + ts + "\",\"value\":1}"))
                    .startsWith("$.ts: ")
                    .endsWith("not an ISO-8601 timestamp such as 2024-12-03T10:12:47Z");
        }
    }

    @Test
    void shouldRejectTimestampThatIsNotIso8601() {
        assertThat(reason(
                        Topics.VOTERS,
                        "{\"gender\":\"male\",\"age\":30,\"party\":\"Green\",\"timestamp\":\"03/12/2024 10:12\"}"))
                .contains("timestamp");
    }

    @Test
    void shouldTakeTweetEventTimeFromTimestampMs() {
        String tweet =
                "{\"text\":\"hello #spark\",\"timestamp_ms\":\"1733220000000\",\"user\":{\"id_str\":\"42\",\"screen_name\":\"a\"}}";

        Validation result = validator.validate(Topics.TWITTER, tweet);

        assertThat(result).isInstanceOf(Validation.Valid.class);
        assertThat(((Validation.Valid) result).event().eventTime()).isEqualTo(Instant.parse("2024-12-03T10:00:00Z"));
    }

    @Test
    void shouldRejectATweetTimeWithAFinalLineBreakInsteadOfThrowing() {
        String tweet =
                "{\"text\":\"hi\",\"timestamp_ms\":\"1733220000000\\n\",\"user\":{\"id_str\":\"42\",\"screen_name\":\"a\"}}";

        assertThat(reason(Topics.TWITTER, tweet)).startsWith("event time cannot be read: For input string");
    }

    @Test
    void shouldDetectEachTypeByItsIdentifyingField() throws Exception {
        var mapper = io.streamanalytics.schemas.json.Json.MAPPER;
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"Clicks\":1}")))
                .contains(Topics.CLICKSTREAM);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"ts\":\"x\",\"value\":1}")))
                .contains(Topics.RANDOM_VALUES);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"text\":\"x\"}")))
                .contains(Topics.TWITTER);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"party\":\"x\"}")))
                .contains(Topics.VOTERS);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"new_scotsmen\":1}")))
                .contains(Topics.SCOTSMEN);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"bagpipe_sales\":1}")))
                .contains(Topics.BAGPIPE);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"foo\":1}"))).isEmpty();
    }

    private String reason(io.streamanalytics.schemas.topics.EventType topic, String raw) {
        Validation result = validator.validate(topic, raw);
        assertThat(result).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid) result).reason();
    }
}
