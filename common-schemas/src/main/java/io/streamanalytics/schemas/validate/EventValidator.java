package io.streamanalytics.schemas.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.topics.EventType;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * Validates raw records against the published contract: exactly one JSON object in valid UTF-8 within the record
 * size limit, then the topic's JSON Schema (types, required fields, ranges, string lengths, district names,
 * timestamp format), then the rules a schema cannot say (Clicks never above Impressions, a plausible event time).
 * Raw records take the compiled fast path ({@link CompiledValidator}); the rare one it rejects is validated again
 * by the reference ({@link ReferenceValidator}: the JSON Schema interpreted on a tree), which words the reason and
 * has the last word, so a fast-path mistake could cost time but never a good event. Thread-safe; never throws for
 * any input.
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

    private final Limits limits;
    private final CompiledValidator compiled = new CompiledValidator();
    private final ReferenceValidator reference;

    public EventValidator(Clock clock) {
        this(clock, Limits.DEFAULT);
    }

    public EventValidator(Clock clock, Limits limits) {
        this.limits = limits;
        this.reference = new ReferenceValidator(clock, limits.eventTime());
    }

    public Limits limits() {
        return limits;
    }

    /** A Kafka record's value as it came off the wire; null is a tombstone. */
    public Validation validate(EventType topic, byte[] value) {
        if (value == null) {
            return new Validation.Invalid("record has no value (a tombstone)");
        }
        if (value.length > limits.maxRecordBytes()) {
            return tooLarge(value.length);
        }
        Event event = compiled.read(topic, value);
        if (event == null) {
            return reference.validate(topic, value);
        }
        String rule = reference.businessRule(event);
        return rule == null ? new Validation.Valid(event) : new Validation.Invalid(rule);
    }

    /** A record already decoded to text (a line of a file), validated as its UTF-8 form. */
    public Validation validate(EventType topic, String raw) {
        byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8);
        if (!raw.equals(new String(utf8, StandardCharsets.UTF_8))) {
            // Only text with an unpaired surrogate has no UTF-8 form (getBytes wrote '?'): read it as it is.
            return utf8.length > limits.maxRecordBytes() ? tooLarge(utf8.length) : reference.validateText(topic, raw);
        }
        return validate(topic, utf8);
    }

    /** A record already parsed into a tree (replay files, which detect each line's topic first). */
    public Validation validate(EventType topic, JsonNode node) {
        return reference.validate(topic, node);
    }

    private Validation tooLarge(int bytes) {
        return new Validation.Invalid(
                "record of " + bytes + " bytes exceeds the limit of " + limits.maxRecordBytes() + " bytes");
    }

    /**
     * The topic a record of unknown type belongs to, by the field only that type has ({@link EventType#detect}); used
     * by replay, where a file may mix all six types.
     */
    public static Optional<EventType> detectTopic(JsonNode node) {
        return EventType.detect(node);
    }
}
