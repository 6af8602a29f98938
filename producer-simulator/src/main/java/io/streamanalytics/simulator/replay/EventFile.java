package io.streamanalytics.simulator.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.validate.EventValidator;
import io.streamanalytics.schemas.validate.Validation;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A JSON-lines file of events, one per line, read and validated line by line: what both {@code validate}
 * and replay read. Blank lines are skipped; a line's type is the one given, or detected from its fields.
 */
public final class EventFile {

    /** One non-blank line, its detected or given topic (null if unknown) and whether it is valid. */
    public record Line(long number, String raw, EventType topic, Validation validation) {}

    /** Receives each line in file order; may throw to stop reading. */
    @FunctionalInterface
    public interface LineHandler {
        void accept(Line line) throws InterruptedException;
    }

    private EventFile() {}

    public static long countLines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).count();
        }
    }

    public static void read(Path file, Optional<EventType> type, EventValidator validator, LineHandler handler)
            throws IOException, InterruptedException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String raw = reader.readLine(); raw != null; raw = reader.readLine()) {
                number++;
                if (!raw.isBlank()) {
                    handler.accept(check(number, raw.trim(), type, validator));
                }
            }
        }
    }

    private static Line check(long number, String raw, Optional<EventType> type, EventValidator validator) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            return new Line(
                    number, raw, type.orElse(null), new Validation.Invalid("not JSON: " + e.getOriginalMessage()));
        }
        Optional<EventType> topic = type.or(() -> EventValidator.detectTopic(node));
        if (topic.isEmpty()) {
            return new Line(
                    number,
                    raw,
                    null,
                    new Validation.Invalid(
                            "not an event of any of the six types (none of their identifying fields is present)"));
        }
        return new Line(number, raw, topic.get(), validator.validate(topic.get(), node));
    }
}
