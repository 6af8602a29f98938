package io.streamanalytics.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.events.BagpipeSaleEvent;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.events.Tweet;
import io.streamanalytics.schemas.events.VoterEvent;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.validate.EventValidator;
import io.streamanalytics.schemas.validate.Validation;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins that each {@link EventType} is a complete descriptor: what a new constant must come with for the contract to
 * hold. {@link #sample} is a switch over the types too, so a new one does not compile here until it has an event.
 */
class EventTypeTest {

    private static final Instant T = Instant.parse("2024-12-03T10:12:47Z");

    /** A valid event of each type, as a producer following the contract would send it. */
    private static Event sample(EventType type) {
        return switch (type) {
            case CLICKSTREAM -> new ClickEvent(3, 40, T);
            case RANDOM_VALUES -> new RandomValueEvent(T, 7);
            case TWITTER ->
                new Tweet(
                        "Tue Dec 03 10:12:47 +0000 2024",
                        1L,
                        "1",
                        "hi #spark",
                        Long.toString(T.toEpochMilli()),
                        "en",
                        new Tweet.User(9L, "9", "n", "s", "en", 0),
                        new Tweet.Entities(List.of(new Tweet.Hashtag("spark", List.of(3, 9)))));
            case VOTERS -> new VoterEvent("female", 40, "Blue", T);
            case SCOTSMEN -> new ScotsmenEvent("Porto", 2, T);
            case BAGPIPE -> new BagpipeSaleEvent("Faro", 1, T);
        };
    }

    @Test
    void everyEventRecordOfTheSealedInterfaceHasExactlyOneType() {
        Set<Class<?>> records =
                Arrays.stream(EventType.values()).map(EventType::recordClass).collect(Collectors.toSet());

        assertThat(records)
                .hasSize(EventType.values().length)
                .containsExactlyInAnyOrder(Event.class.getPermittedSubclasses());
    }

    @Test
    void topicNamesAreDistinctAndTheRegistryListsEveryTypeInOrder() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::topicName).distinct())
                .hasSize(EventType.values().length);
        assertThat(Topics.INPUTS).containsExactly(EventType.values());
        for (EventType type : EventType.values()) {
            assertThat(Topics.byName(type.topicName())).contains(type);
            assertThat(type).hasToString(type.topicName());
        }
    }

    @Test
    void everyTypeHasASchemaOnTheClasspathWhoseIdNamesItsTopic() throws Exception {
        for (EventType type : EventType.values()) {
            try (InputStream in = EventType.class.getResourceAsStream(type.schemaResource())) {
                assertThat(in).as(type.schemaResource()).isNotNull();
                JsonNode schema = Json.MAPPER.readTree(in);
                assertThat(schema.path("$id").asText())
                        .as(type.schemaResource())
                        .endsWith("/" + type.topicName() + ".schema.json");
                assertThat(schema.path("type").asText()).isEqualTo("object");
            }
        }
    }

    @Test
    void everySchemaRequiresItsTypesEventTimeField() {
        for (EventType type : EventType.values()) {
            assertThat(type.requiredFields()).as(type.topicName()).contains(type.eventTimeField());
        }
    }

    @Test
    void everyDetectionRuleNeedsOnlyFieldsItsSchemaRequiresSoThatEveryValidEventIsRecognised() {
        for (EventType type : EventType.values()) {
            EventType.Detection rule = type.detection();
            if (rule.needsAll()) {
                assertThat(type.requiredFields()).as(type.topicName()).containsAll(rule.fields());
            } else {
                assertThat(type.requiredFields()).as(type.topicName()).containsAnyElementsOf(rule.fields());
            }
        }
        assertThat(Arrays.stream(EventType.values())
                        .map(t -> t.detection().precedence())
                        .distinct())
                .hasSize(EventType.values().length);
    }

    @Test
    void everyTypesRecordRoundTripsThroughJsonAndIsValidDetectedAndOwnedByItsType() throws Exception {
        EventValidator validator = new EventValidator(Clock.fixed(T.plusSeconds(60), ZoneOffset.UTC));
        for (EventType type : EventType.values()) {
            Event event = sample(type);
            byte[] json = Json.toBytes(event);

            assertThat(event).isInstanceOf(type.recordClass());
            assertThat(Json.MAPPER.readValue(json, type.recordClass())).isEqualTo(event);
            assertThat(validator.validate(type, json)).as(type.topicName()).isEqualTo(new Validation.Valid(event));
            JsonNode tree = Json.MAPPER.readTree(json);
            assertThat(tree.has(type.eventTimeField())).as(type.topicName()).isTrue();
            assertThat(EventType.detect(tree)).as(type.topicName()).contains(type);
            assertThat(Topics.of(event)).isEqualTo(type);
        }
    }

    @Test
    void aRecordWithIdentifyingFieldsOfSeveralTypesIsDetectedAsTheOneOfLowestPrecedence() throws Exception {
        // The order of the if/else chain this rule replaced: clickstream, scotsmen, bagpipe, voters, twitter,
        // random-values.
        assertThat(detect("{\"Clicks\":1,\"new_scotsmen\":1,\"party\":\"x\"}")).contains(EventType.CLICKSTREAM);
        assertThat(detect("{\"new_scotsmen\":1,\"bagpipe_sales\":1}")).contains(EventType.SCOTSMEN);
        assertThat(detect("{\"bagpipe_sales\":1,\"gender\":\"x\"}")).contains(EventType.BAGPIPE);
        assertThat(detect("{\"party\":\"x\",\"text\":\"y\"}")).contains(EventType.VOTERS);
        assertThat(detect("{\"text\":\"x\",\"value\":1,\"ts\":\"y\"}")).contains(EventType.TWITTER);
        assertThat(detect("{\"value\":1}")).isEmpty();
        assertThat(detect("[{\"Clicks\":1}]")).isEmpty();
    }

    private static Optional<EventType> detect(String json) throws Exception {
        return EventType.detect(Json.MAPPER.readTree(json));
    }
}
