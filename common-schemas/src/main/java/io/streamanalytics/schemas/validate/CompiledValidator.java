package io.streamanalytics.schemas.validate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The fast path of {@link EventValidator}: each topic's published JSON Schema compiled once into a
 * {@link CompiledSchema} and a {@link Binding} to its event record, applied in one streaming pass of Jackson's
 * parser over the record's bytes. It only says whether a record keeps the contract's syntax, schema and binding
 * and builds the event; {@link ReferenceValidator} says why one does not. Thread-safe.
 */
final class CompiledValidator {

    /** As strict as the reference's reader: a member name twice is an error, not "the last one wins". */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private record Plan(CompiledSchema schema, Binding binding) {}

    private final Map<EventType, Plan> plans = new EnumMap<>(EventType.class);

    CompiledValidator() {
        for (EventType topic : Topics.INPUTS) {
            try (InputStream in = ReferenceValidator.schema(topic)) {
                CompiledSchema schema = CompiledSchema.compile(Json.MAPPER.readTree(in));
                plans.put(topic, new Plan(schema, Binding.of(topic.recordClass(), schema, "$")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + topic.schemaResource(), e);
            }
        }
    }

    /**
     * The event of a record that is one JSON object in valid UTF-8, keeps the topic's schema and binds to its
     * record; null for any other record. The business rules are the caller's.
     */
    Event read(EventType topic, byte[] value) {
        if (!isPlainUtf8(value)) {
            return null;
        }
        Plan plan = plans.get(topic);
        try (JsonParser parser = FACTORY.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Object read = plan.schema().read(parser, JsonToken.START_OBJECT);
            // Exactly one value: anything after the object but whitespace makes it something else.
            if (read == CompiledSchema.INVALID || parser.nextToken() != null) {
                return null;
            }
            Object event = plan.binding().bind(read);
            return event == CompiledSchema.INVALID ? null : (Event) event;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Whether {@code bytes} are well-formed UTF-8 as Java's decoder judges it (no overlong forms, no surrogates,
     * nothing beyond U+10FFFF), with no NUL byte and no byte order mark. Jackson's own UTF-8 decoding is laxer, it
     * skips a byte order mark that the reference refuses as a character before the object, and a NUL (never valid
     * JSON) near the start would make it read the bytes as UTF-16 or UTF-32.
     */
    static boolean isPlainUtf8(byte[] bytes) {
        if (bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
            return false;
        }
        int i = 0;
        while (i < bytes.length) {
            int lead = bytes[i];
            if (lead > 0) {
                i++;
                continue;
            }
            if (lead == 0) {
                return false;
            }
            lead &= 0xFF;
            int continuations;
            int min;
            int max;
            if (lead >= 0xC2 && lead <= 0xDF) {
                continuations = 1;
                min = 0x80;
                max = 0xBF;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                continuations = 2;
                // E0 below A0 would be overlong; ED above 9F a surrogate.
                min = lead == 0xE0 ? 0xA0 : 0x80;
                max = lead == 0xED ? 0x9F : 0xBF;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                continuations = 3;
                // F0 below 90 would be overlong; F4 above 8F beyond U+10FFFF.
                min = lead == 0xF0 ? 0x90 : 0x80;
                max = lead == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            if (i + continuations >= bytes.length) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return false;
            }
            for (int k = 2; k <= continuations; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += continuations + 1;
        }
        return true;
    }
}
