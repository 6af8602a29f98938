package io.streamanalytics.consumer.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamanalytics.consumer.store.PipelineCatalog;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.results.PipelineResult;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a record of a {@code results.<pipeline>} topic into a {@link ResultRecord}, or says why it cannot. */
public final class ResultParser {

    /** Limits that keep one odd record from overflowing a column. */
    static final int MAX_PAYLOAD_CHARS = 100_000;
    static final int MAX_KEY_CHARS = 1_000;
    static final int MAX_GROUP_VALUE_CHARS = 200;

    private static final Set<String> STANDARD_FIELDS = Set.of(
            PipelineResult.PIPELINE, PipelineResult.WINDOW_START, PipelineResult.WINDOW_END, PipelineResult.EMITTED_AT);

    private final PipelineCatalog catalog;

    public ResultParser(PipelineCatalog catalog) {
        this.catalog = catalog;
    }

    public ResultRecord parse(SourcePosition source, String key, byte[] value) throws MalformedResultException {
        if (value == null) {
            throw new MalformedResultException("null value (tombstone); results are never deleted");
        }
        ObjectNode json = parseObject(value);
        String pipeline = requiredText(json, PipelineResult.PIPELINE);
        String topicPipeline = source.topic().substring(Topics.RESULTS_PREFIX.length());
        if (!pipeline.equals(topicPipeline)) {
            throw new MalformedResultException("pipeline '" + pipeline + "' does not match topic " + source.topic());
        }
        String windowStartText = requiredText(json, PipelineResult.WINDOW_START);
        Instant windowStart = timestamp(PipelineResult.WINDOW_START, windowStartText);
        Instant windowEnd = optionalTimestamp(json, PipelineResult.WINDOW_END);
        Instant emittedAt = optionalTimestamp(json, PipelineResult.EMITTED_AT);

        List<String> groupFields = groupFields(pipeline, json);
        Map<String, String> groups = new LinkedHashMap<>();
        for (String field : groupFields) {
            JsonNode node = json.get(field);
            String groupValue = node == null || node.isNull() ? null : node.asText();
            if (groupValue != null && groupValue.length() > MAX_GROUP_VALUE_CHARS) {
                throw new MalformedResultException("group field " + field + " is longer than " + MAX_GROUP_VALUE_CHARS);
            }
            groups.put(field, groupValue);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber() && !groups.containsKey(e.getKey())) {
                metrics.put(e.getKey(), e.getValue().doubleValue());
            }
        });

        String payload = json.toString();
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            throw new MalformedResultException("value is longer than " + MAX_PAYLOAD_CHARS + " characters");
        }
        String resultKey = key != null ? key : new PipelineResult(pipeline, groupFields, List.of())
                .key(windowStartText, groups.values().stream().map(v -> v == null ? "" : v).toList());
        if (resultKey.length() > MAX_KEY_CHARS) {
            throw new MalformedResultException("key is longer than " + MAX_KEY_CHARS + " characters");
        }
        return new ResultRecord(resultKey, pipeline, windowStart, windowEnd, groups, metrics, payload, emittedAt, source);
    }

    private List<String> groupFields(String pipeline, ObjectNode json) throws MalformedResultException {
        if (catalog.contract(pipeline).isPresent()) {
            return catalog.contract(pipeline).get().groupFields();
        }
        // Outside the catalogue: text fields are what a result can be grouped by (documented in the README).
        List<String> textFields = new ArrayList<>();
        json.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual() && !STANDARD_FIELDS.contains(e.getKey())) {
                textFields.add(e.getKey());
            }
        });
        try {
            return catalog.learn(pipeline, textFields);
        } catch (IllegalArgumentException e) {
            throw new MalformedResultException(e.getMessage(), e);
        }
    }

    private static ObjectNode parseObject(byte[] value) throws MalformedResultException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new MalformedResultException("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedResultException("unreadable value: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new MalformedResultException("not a JSON object: "
                    + new String(value, 0, Math.min(value.length, 40), StandardCharsets.UTF_8));
        }
        return object;
    }

    private static String requiredText(ObjectNode json, String field) throws MalformedResultException {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw new MalformedResultException("missing " + field);
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new MalformedResultException(field + " must be a non-empty string");
        }
        return node.asText();
    }

    private static Instant optionalTimestamp(ObjectNode json, String field) throws MalformedResultException {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new MalformedResultException(field + " must be an ISO-8601 string");
        }
        return timestamp(field, node.asText());
    }

    private static Instant timestamp(String field, String text) throws MalformedResultException {
        try {
            return Json.parseTimestamp(text.trim());
        } catch (DateTimeParseException e) {
            throw new MalformedResultException(field + " is not an ISO-8601 timestamp: " + text, e);
        }
    }
}
