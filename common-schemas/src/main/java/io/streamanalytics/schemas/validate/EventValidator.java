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
import io.streamanalytics.schemas.topics.EventTopic;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates raw records against the published contract: exactly one JSON object in valid UTF-8 within the record
 * size limit, then the topic's JSON Schema (types, required fields, ranges, string lengths, district names,
 * timestamp format), then the rules a schema cannot say (Clicks never above Impressions, a plausible event time).
 * Thread-safe; never throws for any input.
 */
public final class EventValidator {

    /** Well under a default broker's 1 MiB message limit, and hundreds of times any valid event of the contract. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

    /**
     * The configurable parts of the contract.
     *
     * @param maxRecordBytes a larger record is rejected without being parsed
     * @param eventTime which event times are plausible
     */
    public record Limits(int maxRecordBytes, EventTimeBounds eventTime) implements Serializable {
        public static final Limits DEFAULT = new Limits(DEFAULT_MAX_RECORD_BYTES, EventTimeBounds.DEFAULT);

        public Limits {
            if (maxRecordBytes < 1) {
                throw new IllegalArgumentException("the record size limit must be positive, got " + maxRecordBytes);
            }
        }
    }

    /**
     * RFC 8259 strictly: one value and nothing after it, no member name twice (Jackson would keep the last one
     * silently). Jackson already rejects NaN, Infinity, comments, unquoted control characters and nesting beyond
     * 1,000 levels by default.
     */
    private static final ObjectReader STRICT_READER = Json.MAPPER.reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Map<EventTopic<?>, JsonSchema> schemas = new LinkedHashMap<>();
    private final Clock clock;
    private final Limits limits;

    public EventValidator(Clock clock) {
        this(clock, Limits.DEFAULT);
    }

    public EventValidator(Clock clock, Limits limits) {
        this.clock = clock;
        this.limits = limits;
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

    public Limits limits() {
        return limits;
    }

    /** A Kafka record's value as it came off the wire; null is a tombstone. */
    public Validation validate(EventTopic<?> topic, byte[] value) {
        if (value == null) {
            return new Validation.Invalid("record has no value (a tombstone)");
        }
        if (value.length > limits.maxRecordBytes()) {
            return tooLarge(value.length);
        }
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

    /** A record already decoded to text (a line of a file): the size limit applies to its UTF-8 form. */
    public Validation validate(EventTopic<?> topic, String raw) {
        if (raw.length() > limits.maxRecordBytes() / 3) {
            // Only long texts can exceed the limit: a char is at most three UTF-8 bytes.
            int bytes = raw.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxRecordBytes()) {
                return tooLarge(bytes);
            }
        }
        return validateText(topic, raw);
    }

    private Validation tooLarge(int bytes) {
        return new Validation.Invalid("record of " + bytes + " bytes exceeds the limit of " + limits.maxRecordBytes()
                + " bytes");
    }

    private Validation validateText(EventTopic<?> topic, String raw) {
        JsonNode node;
        try {
            node = STRICT_READER.readTree(raw);
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
        } catch (JsonMappingException e) {
            // Named like the schema's messages: "$.ts: ...".
            String path = e.getPath().stream().map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName()
                    : "[" + ref.getIndex() + "]").collect(Collectors.joining());
            return new Validation.Invalid("$" + path + ": " + e.getOriginalMessage());
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
        return limits.eventTime().check(event.eventTime(), clock);
    }
}
