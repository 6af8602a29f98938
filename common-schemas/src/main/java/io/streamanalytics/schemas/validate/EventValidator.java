package io.streamanalytics.schemas.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventTopic;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates raw JSON records against the published contract: the topic's JSON Schema (types, required
 * fields, ranges, district names, timestamp format), then the rules a schema cannot say (Clicks never above
 * Impressions, a plausible event time).
 */
public final class EventValidator {

    private final Map<EventTopic<?>, JsonSchema> schemas = new LinkedHashMap<>();
    private final Clock clock;

    public EventValidator(Clock clock) {
        this.clock = clock;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (EventTopic<?> topic : Topics.INPUTS) {
            try (InputStream in = EventValidator.class.getResourceAsStream(topic.schemaResource())) {
                if (in == null) {
                    throw new IllegalStateException("missing schema " + topic.schemaResource());
                }
                schemas.put(topic, factory.getSchema(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + topic.schemaResource(), e);
            }
        }
    }

    public Validation validate(EventTopic<?> topic, String raw) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            return new Validation.Invalid("not JSON: " + e.getOriginalMessage());
        }
        return validate(topic, node);
    }

    public Validation validate(EventTopic<?> topic, JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Validation.Invalid("not a JSON object");
        }
        Set<ValidationMessage> errors = schemas.get(topic).validate(node);
        if (!errors.isEmpty()) {
            return new Validation.Invalid(errors.stream()
                    .map(ValidationMessage::getMessage)
                    .sorted(Comparator.naturalOrder())
                    .collect(Collectors.joining("; ")));
        }
        Event event;
        try {
            event = Json.MAPPER.treeToValue(node, topic.valueType());
        } catch (JsonProcessingException e) {
            return new Validation.Invalid(e.getOriginalMessage());
        }
        String rule = businessRule(event);
        return rule == null ? new Validation.Valid(event) : new Validation.Invalid(rule);
    }

    /**
     * The topic a record of unknown type belongs to, by the field only that type has; used by replay, where a
     * file may mix all six types.
     */
    public static Optional<EventTopic<? extends Event>> detectTopic(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        if (node.has("Impressions") || node.has("Clicks")) {
            return Optional.of(Topics.CLICKSTREAM);
        }
        if (node.has("new_scotsmen")) {
            return Optional.of(Topics.SCOTSMEN);
        }
        if (node.has("bagpipe_sales")) {
            return Optional.of(Topics.BAGPIPE);
        }
        if (node.has("party") || node.has("gender")) {
            return Optional.of(Topics.VOTERS);
        }
        if (node.has("timestamp_ms") || node.has("text")) {
            return Optional.of(Topics.TWITTER);
        }
        if (node.has("value") && node.has("ts")) {
            return Optional.of(Topics.RANDOM_VALUES);
        }
        return Optional.empty();
    }

    private String businessRule(Event event) {
        if (event instanceof ClickEvent click && click.clicks() > click.impressions()) {
            return "Clicks (" + click.clicks() + ") exceed Impressions (" + click.impressions() + ")";
        }
        return EventTimeBounds.check(event.eventTime(), clock);
    }
}
