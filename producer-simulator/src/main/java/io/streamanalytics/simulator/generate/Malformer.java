package io.streamanalytics.simulator.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Breaks valid events of one topic in the ways of {@link MalformedKind}, rotating through the kinds and through
 * the topic's required fields so that every kind and every field is exercised.
 */
final class Malformer {

    private static final MalformedKind[] KINDS = MalformedKind.values();

    private final EventType topic;
    private final List<String> requiredFields;
    private long produced;

    Malformer(EventType topic) {
        this.topic = topic;
        this.requiredFields = topic.requiredFields();
    }

    MalformedKind nextKind() {
        return KINDS[(int) (produced % KINDS.length)];
    }

    /** The broken bytes for a valid event's JSON tree, of kind {@link #nextKind()}. */
    byte[] malform(ObjectNode valid) {
        MalformedKind kind = nextKind();
        String field = requiredFields.get((int) ((produced / KINDS.length) % requiredFields.size()));
        produced++;
        ObjectNode broken = valid.deepCopy();
        switch (kind) {
            case NOT_JSON -> {
                String json = Json.toJson(valid);
                return json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8);
            }
            case MISSING_FIELD -> broken.remove(field);
            case WRONG_TYPE -> {
                JsonNode value = broken.get(field);
                if (value.isNumber()) {
                    broken.put(field, "many");
                } else {
                    broken.put(field, 42);
                }
            }
            case ABSURD_TIMESTAMP -> {
                String timeField = topic.eventTimeField();
                // Tweets carry epoch milliseconds as text; the others an ISO-8601 string.
                broken.put(timeField, timeField.equals("timestamp_ms") ? "0" : Instant.EPOCH.toString());
            }
        }
        return Json.toBytes(broken);
    }
}
