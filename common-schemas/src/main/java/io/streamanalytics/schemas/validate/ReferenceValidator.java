package io.streamanalytics.schemas.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The contract checked the way a producer would check it: strict UTF-8 decoding, a strict JSON tree, the published
 * JSON Schema interpreted by networknt's validator, Jackson's binding into the event record, then the rules a
 * schema cannot say. It words every rejection, but costs a tree, a schema walk and a formatter per record, so the
 * service runs {@link CompiledValidator} first and asks this one only why a record was rejected. Thread-safe.
 */
final class ReferenceValidator {

    /**
     * RFC 8259 strictly: one value and nothing after it, no member name twice (Jackson would keep the last one
     * silently). Jackson already rejects NaN, Infinity, comments, unquoted control characters and nesting beyond
     * 1,000 levels by default.
     */
    private static final ObjectReader STRICT_READER = Json.MAPPER
            .reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);
    private final Clock clock;
    private final EventTimeBounds eventTime;

    ReferenceValidator(Clock clock, EventTimeBounds eventTime) {
        this.clock = clock;
        this.eventTime = eventTime;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (EventType topic : Topics.INPUTS) {
            try (InputStream in = schema(topic)) {
                schemas.put(topic, factory.getSchema(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + topic.schemaResource(), e);
            }
        }
    }

    /** The topic's published JSON Schema, as a producer would download it. */
    static InputStream schema(EventType topic) {
        InputStream in = ReferenceValidator.class.getResourceAsStream(topic.schemaResource());
        if (in == null) {
            throw new IllegalStateException("missing schema " + topic.schemaResource());
        }
        return in;
    }

    /** A value of any size (the caller applies the size limit). */
    Validation validate(EventType topic, byte[] value) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(value);
        CharBuffer out = CharBuffer.allocate(value.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            return new Validation.Invalid("not valid UTF-8: malformed byte sequence at byte " + in.position());
        }
        decoder.flush(out);
        return validateText(topic, out.flip().toString());
    }

    Validation validateText(EventType topic, String raw) {
        JsonNode node;
        try {
            node = STRICT_READER.readTree(raw);
        } catch (JsonProcessingException e) {
            return new Validation.Invalid("not JSON: " + e.getOriginalMessage());
        }
        return validate(topic, node);
    }

    Validation validate(EventType topic, JsonNode node) {
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
            event = Json.MAPPER.treeToValue(node, topic.recordClass());
        } catch (JsonMappingException e) {
            // Named like the schema's messages: "$.ts: ...".
            String path = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining());
            return new Validation.Invalid("$" + path + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            return new Validation.Invalid(e.getOriginalMessage());
        }
        String rule = businessRule(event);
        return rule == null ? new Validation.Valid(event) : new Validation.Invalid(rule);
    }

    /** Null when the event keeps the rules a schema cannot say, else the rule it breaks. */
    String businessRule(Event event) {
        if (event instanceof ClickEvent click && click.clicks() > click.impressions()) {
            return "Clicks (" + click.clicks() + ") exceed Impressions (" + click.impressions() + ")";
        }
        Instant time;
        try {
            time = event.eventTime();
        } catch (RuntimeException e) {
            // A schema pattern run by Java's regex lets a final line break through ($ matches before it), e.g. a
            // timestamp_ms of "1733220000000\n", which then does not parse: a rejection, never an exception.
            return "event time cannot be read: " + e.getMessage();
        }
        return eventTime.check(time, clock);
    }
}
