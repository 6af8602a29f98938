package io.streamanalytics.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/** The one JSON configuration of the wire contract, shared by every producer and reader in the system. */
public final class Json {

    /** Thread-safe once configured; share it. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("wire-timestamps")
                    .addDeserializer(Instant.class, new WireInstantDeserializer())
                    .addSerializer(Instant.class, new WireInstantSerializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // The contract says unknown extra fields are ignored, so producers can send richer events.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A missing int must not silently become 0.
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {}

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses a wire timestamp: ISO-8601 with an offset or {@code Z}; a value without an offset means UTC.
     *
     * @throws DateTimeParseException if the text is not such a timestamp
     */
    public static Instant parseTimestamp(String text) {
        TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(text);
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            return Instant.from(parsed);
        }
        return LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
    }

    /**
     * Writes exactly {@link Instant#toString()} (ISO-8601 UTC), but reuses the text up to the seconds while
     * successive instants fall in the same second: formatting timestamps was the largest single cost of producing
     * events at hundreds of thousands per second.
     */
    static final class WireInstantSerializer extends StdSerializer<Instant> {

        /** The last second formatted and its text up to the seconds, swapped as one immutable pair. */
        private record SecondPrefix(long epochSecond, String text) {}

        private volatile SecondPrefix last = new SecondPrefix(Long.MIN_VALUE, "");

        WireInstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }

        String format(Instant value) {
            int nanos = value.getNano();
            if (nanos % 1_000_000 != 0) {
                return value.toString();
            }
            SecondPrefix prefix = last;
            if (prefix.epochSecond() != value.getEpochSecond()) {
                String full = value.minusNanos(nanos).toString();
                // Instant.toString of a whole second ends in ":ssZ" and has no fraction; a year beyond 9999 has a sign.
                prefix = new SecondPrefix(value.getEpochSecond(), full.substring(0, full.length() - 1));
                last = prefix;
            }
            if (nanos == 0) {
                return prefix.text() + 'Z';
            }
            int millis = nanos / 1_000_000;
            return prefix.text()
                    + '.'
                    + (char) ('0' + millis / 100)
                    + (char) ('0' + millis / 10 % 10)
                    + (char) ('0' + millis % 10)
                    + 'Z';
        }
    }

    private static final class WireInstantDeserializer extends StdScalarDeserializer<Instant> {
        WireInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            try {
                return parseTimestamp(text.trim());
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.handleWeirdStringValue(
                        Instant.class, text, "not an ISO-8601 timestamp such as 2024-12-03T10:12:47Z");
            }
        }
    }
}
