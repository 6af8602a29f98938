package io.streamanalytics.schemas.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.topics.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
    private final EventValidator validator = new EventValidator(NOW);

    @Test
    void shouldAcceptContractEventAndIgnoreUnknownFields() {
        Validation result = validator.validate(Topics.SCOTSMEN,
                "{\"district\":\"Évora\",\"new_scotsmen\":3,\"timestamp\":\"2024-12-03T10:12:47Z\",\"source\":\"sensor-7\"}");

        assertThat(result).isEqualTo(new Validation.Valid(
                new ScotsmenEvent("Évora", 3, Instant.parse("2024-12-03T10:12:47Z"))));
    }

    @Test
    void shouldReadTimestampWithoutOffsetAsUtcAndWithOffsetAsGiven() {
        Validation noOffset = validator.validate(Topics.CLICKSTREAM, "{\"Clicks\":1,\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47\"}");
        Validation withOffset = validator.validate(Topics.CLICKSTREAM, "{\"Clicks\":1,\"Impressions\":2,\"ts\":\"2024-12-03T11:12:47+01:00\"}");

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
                .contains("new_scotsmen").contains("required");
    }

    @Test
    void shouldNameTheFieldOfWrongType() {
        assertThat(reason(Topics.CLICKSTREAM, "{\"Clicks\":\"many\",\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47Z\"}"))
                .contains("Clicks").contains("string").contains("integer");
    }

    @Test
    void shouldRejectDistrictNotInThePopulationTable() {
        assertThat(reason(Topics.BAGPIPE, "{\"district\":\"Lisbon\",\"bagpipe_sales\":2,\"timestamp\":\"2024-12-03T10:12:47Z\"}"))
                .contains("district");
    }

    @Test
    void shouldRejectMoreClicksThanImpressions() {
        assertThat(reason(Topics.CLICKSTREAM, "{\"Clicks\":5,\"Impressions\":2,\"ts\":\"2024-12-03T10:12:47Z\"}"))
                .isEqualTo("Clicks (5) exceed Impressions (2)");
    }

    @Test
    void shouldRejectAbsurdTimestampsBeforeYear2000AndMoreThanADayAhead() {
        assertThat(reason(Topics.RANDOM_VALUES, "{\"ts\":\"1970-01-01T00:00:00Z\",\"value\":3}"))
                .isEqualTo("event time 1970-01-01T00:00:00Z is before 2000-01-01T00:00:00Z");
        assertThat(reason(Topics.RANDOM_VALUES, "{\"ts\":\"2025-06-02T12:00:01Z\",\"value\":3}"))
                .isEqualTo("event time 2025-06-02T12:00:01Z is more than 24 h in the future");
        assertThat(validator.validate(Topics.RANDOM_VALUES, "{\"ts\":\"2025-06-02T12:00:00Z\",\"value\":3}"))
                .isInstanceOf(Validation.Valid.class);
    }

    @Test
    void shouldRejectTimestampThatIsNotIso8601() {
        assertThat(reason(Topics.VOTERS, "{\"gender\":\"male\",\"age\":30,\"party\":\"Green\",\"timestamp\":\"03/12/2024 10:12\"}"))
                .contains("timestamp");
    }

    @Test
    void shouldTakeTweetEventTimeFromTimestampMs() {
        String tweet = "{\"text\":\"hello #spark\",\"timestamp_ms\":\"1733220000000\",\"user\":{\"id_str\":\"42\",\"screen_name\":\"a\"}}";

        Validation result = validator.validate(Topics.TWITTER, tweet);

        assertThat(result).isInstanceOf(Validation.Valid.class);
        assertThat(((Validation.Valid) result).event().eventTime()).isEqualTo(Instant.parse("2024-12-03T10:00:00Z"));
    }

    @Test
    void shouldDetectEachTypeByItsIdentifyingField() throws Exception {
        var mapper = io.streamanalytics.schemas.json.Json.MAPPER;
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"Clicks\":1}"))).contains(Topics.CLICKSTREAM);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"ts\":\"x\",\"value\":1}"))).contains(Topics.RANDOM_VALUES);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"text\":\"x\"}"))).contains(Topics.TWITTER);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"party\":\"x\"}"))).contains(Topics.VOTERS);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"new_scotsmen\":1}"))).contains(Topics.SCOTSMEN);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"bagpipe_sales\":1}"))).contains(Topics.BAGPIPE);
        assertThat(EventValidator.detectTopic(mapper.readTree("{\"foo\":1}"))).isEmpty();
    }

    private String reason(io.streamanalytics.schemas.topics.EventTopic<?> topic, String raw) {
        Validation result = validator.validate(topic, raw);
        assertThat(result).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid) result).reason();
    }
}
