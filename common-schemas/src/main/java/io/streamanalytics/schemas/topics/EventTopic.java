package io.streamanalytics.schemas.topics;

import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One input topic of the wire contract: its default name, the event record on it, the JSON field that holds
 * the event time, how its record key is derived (null for a topic without one) and the JSON
 * Schema a producer can validate with.
 */
public record EventTopic<E extends Event>(
        String topicName, Class<E> valueType, String eventTimeField, Function<E, String> keyOf) {

    /**
     * The record key for an event of this topic: the grouping key (district, user) or null.
     *
     * @throws ClassCastException if the event belongs to another topic
     */
    public String key(Event event) {
        return keyOf.apply(valueType.cast(event));
    }

    /** Classpath location of this topic's JSON Schema (draft 2020-12). */
    public String schemaResource() {
        return "/schemas/" + topicName + ".schema.json";
    }

    /** The top-level fields this topic's JSON Schema requires, in the schema's order. */
    public List<String> requiredFields() {
        try (InputStream in = EventTopic.class.getResourceAsStream(schemaResource())) {
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
}
