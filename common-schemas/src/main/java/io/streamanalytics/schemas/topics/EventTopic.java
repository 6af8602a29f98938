package io.streamanalytics.schemas.topics;

import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.json.JsonSerde;
import java.util.function.Function;

/**
 * One input topic of the wire contract: its default name, the event record on it, how its record key is
 * derived (null where the design gives the topic no key) and the JSON Schema a producer can validate with.
 */
public record EventTopic<E extends Event>(String name, Class<E> valueType, Function<E, String> keyOf) {

    /** The record key for an event: the grouping key (district, user) or null. */
    public String key(E event) {
        return keyOf.apply(event);
    }

    /** Classpath location of this topic's JSON Schema (draft 2020-12). */
    public String schemaResource() {
        return "/schemas/" + name + ".schema.json";
    }

    public JsonSerde<E> serde() {
        return new JsonSerde<>(valueType);
    }

    /** Casts an event known to belong to this topic (used where events of several types share a loop). */
    public E cast(Event event) {
        return valueType.cast(event);
    }
}
