package io.streamanalytics.schemas.topics;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.events.BagpipeSaleEvent;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.events.Tweet;
import io.streamanalytics.schemas.events.VoterEvent;
import io.streamanalytics.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One event type of the wire contract, and the one place its contract lives: the default topic name, the event
 * record on it, how its record key is derived (null for a topic without one), the JSON field that holds the event
 * time, the JSON Schema a producer can validate with (and so the required fields), and the rule by which a record
 * of unknown type ({@code validate auto}, replay) is recognised as one of this type.
 *
 * <p>What a module does differently per type is chosen there by an exhaustive {@code switch} over these constants,
 * with no {@code default}, so a new constant fails compilation at every place that still needs its case: the Spark
 * input columns (stream-analytics' {@code InputColumns.of}), the generator and the default rate of the simulator.
 * docs/pipelines.md ("Adding an event type") lists the steps.
 *
 * <p>{@link #name()} is the Java constant's name ({@code RANDOM_VALUES}); the topic is {@link #topicName()}
 * ({@code random-values}), which {@link #toString()} also gives.
 */
public enum EventType {
    CLICKSTREAM("clickstream", ClickEvent.class, "ts", click -> null, Detection.anyOf(1, "Impressions", "Clicks")),
    RANDOM_VALUES("random-values", RandomValueEvent.class, "ts", value -> null, Detection.allOf(6, "value", "ts")),
    TWITTER(
            "twitter",
            Tweet.class,
            "timestamp_ms",
            tweet -> tweet.user() == null ? null : tweet.user().idStr(),
            Detection.anyOf(5, "timestamp_ms", "text")),
    VOTERS("voters", VoterEvent.class, "timestamp", vote -> null, Detection.anyOf(4, "party", "gender")),
    SCOTSMEN("scotsmen", ScotsmenEvent.class, "timestamp", ScotsmenEvent::district, Detection.anyOf(2, "new_scotsmen")),
    BAGPIPE(
            "bagpipe",
            BagpipeSaleEvent.class,
            "timestamp",
            BagpipeSaleEvent::district,
            Detection.anyOf(3, "bagpipe_sales"));

    /**
     * How a record of unknown type is recognised as one of this type: by fields that only this type has, any one
     * of them or all of them. A record with identifying fields of several types is taken to be of the type whose
     * rule has the lowest {@code precedence} (unique among the types).
     */
    public record Detection(int precedence, boolean needsAll, List<String> fields) {

        public Detection {
            fields = List.copyOf(fields);
        }

        static Detection anyOf(int precedence, String... fields) {
            return new Detection(precedence, false, List.of(fields));
        }

        static Detection allOf(int precedence, String... fields) {
            return new Detection(precedence, true, List.of(fields));
        }

        /** Whether this JSON object has the identifying fields. */
        public boolean matches(JsonNode object) {
            return needsAll
                    ? fields.stream().allMatch(object::has)
                    : fields.stream().anyMatch(object::has);
        }
    }

    private final String topicName;
    private final Class<? extends Event> recordClass;
    private final String eventTimeField;
    private final Function<Event, String> keyOf;
    private final Detection detection;

    <E extends Event> EventType(
            String topicName,
            Class<E> recordClass,
            String eventTimeField,
            Function<E, String> keyOf,
            Detection detection) {
        this.topicName = topicName;
        this.recordClass = recordClass;
        this.eventTimeField = eventTimeField;
        this.keyOf = event -> keyOf.apply(recordClass.cast(event));
        this.detection = detection;
    }

    /** In the order detection tries them. */
    private static final List<EventType> BY_DETECTION_PRECEDENCE = Arrays.stream(values())
            .sorted(Comparator.comparingInt(type -> type.detection.precedence()))
            .toList();

    static {
        if (Arrays.stream(values())
                        .map(type -> type.detection.precedence())
                        .distinct()
                        .count()
                != values().length) {
            throw new IllegalStateException("two event types share a detection precedence");
        }
    }

    /** The default name of this type's Kafka topic: the wire contract's, and what every service uses. */
    public String topicName() {
        return topicName;
    }

    /** The event record a valid record of this type binds to (with the contract's mapper, {@link Json#MAPPER}). */
    public Class<? extends Event> recordClass() {
        return recordClass;
    }

    /** The top-level JSON field that holds the event time (the Kafka record timestamp is set to it). */
    public String eventTimeField() {
        return eventTimeField;
    }

    /**
     * The record key for an event of this type: the grouping key (district, user) or null.
     *
     * @throws ClassCastException if the event belongs to another type
     */
    public String key(Event event) {
        return keyOf.apply(event);
    }

    /** Classpath location of this type's JSON Schema (draft 2020-12), named after the topic. */
    public String schemaResource() {
        return "/schemas/" + topicName + ".schema.json";
    }

    /** The top-level fields this type's JSON Schema requires, in the schema's order. */
    public List<String> requiredFields() {
        try (InputStream in = EventType.class.getResourceAsStream(schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("missing schema " + schemaResource());
            }
            List<String> fields = new ArrayList<>();
            Json.MAPPER.readTree(in).path("required").forEach(field -> fields.add(field.asText()));
            return List.copyOf(fields);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + schemaResource(), e);
        }
    }

    /** How a record of unknown type is recognised as one of this type. */
    public Detection detection() {
        return detection;
    }

    /**
     * The type a record of unknown type belongs to, by the fields only that type has (see {@link Detection}); empty
     * for anything but a JSON object with the identifying fields of some type.
     */
    public static Optional<EventType> detect(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        return BY_DETECTION_PRECEDENCE.stream()
                .filter(type -> type.detection.matches(node))
                .findFirst();
    }

    /** The topic name, so that a type reads as its topic in messages. */
    @Override
    public String toString() {
        return topicName;
    }
}
