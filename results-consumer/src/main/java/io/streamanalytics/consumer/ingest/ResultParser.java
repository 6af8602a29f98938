package io.streamanalytics.consumer.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamanalytics.consumer.store.PipelineCatalog;
import io.streamanalytics.consumer.store.ResultRecord;
import io.streamanalytics.consumer.store.ResultStore;
import io.streamanalytics.consumer.store.SourcePosition;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.results.PipelineResult;
import io.streamanalytics.schemas.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a record of a {@code results.<pipeline>} topic into a {@link ResultRecord}, or says why it cannot. Every
 * check that the database would otherwise make (column sizes, NUL characters, timestamp range) is made here,
 * before the transaction: a record that passes is one the database stores, so one bad record can never fail the
 * batch it came with. The checks that protect other rows are here too: the key must be exactly the key the value
 * implies, so a record can only ever write the row of its own pipeline, window and group.
 */
public final class ResultParser {

    /** Limits that keep one odd record from overflowing a column (see SchemaMigrations). */
    static final int MAX_PAYLOAD_CHARS = 100_000;

    static final int MAX_KEY_CHARS = 1_000;
    static final int MAX_PIPELINE_CHARS = 200;
    static final int MAX_GROUP_VALUE_CHARS = 200;
    /** Four names and their commas fit the 1000 characters of {@code pipelines.group_fields}. */
    static final int MAX_GROUP_FIELD_NAME_CHARS = 200;

    static final char NUL = '\u0000';
    /** Group field names are stored joined by commas. */
    static final String FIELD_NAME_SEPARATOR = ",";

    private static final Set<String> STANDARD_FIELDS = Set.of(
            PipelineResult.PIPELINE, PipelineResult.WINDOW_START, PipelineResult.WINDOW_END, PipelineResult.EMITTED_AT);

    private final PipelineCatalog catalog;

    public ResultParser(PipelineCatalog catalog) {
        this.catalog = catalog;
    }

    public ResultRecord parse(SourcePosition source, String key, byte[] value) throws MalformedResultException {
        String topicPipeline = source.topic().substring(Topics.RESULTS_PREFIX.length());
        if (topicPipeline.length() > MAX_PIPELINE_CHARS) {
            throw new MalformedResultException(
                    "pipeline name of topic is longer than " + MAX_PIPELINE_CHARS + " characters");
        }
        if (value == null) {
            throw new MalformedResultException("null value (tombstone); results are never deleted");
        }
        if (key == null) {
            throw new MalformedResultException("missing key; it must be <pipeline>|<window_start>|<group values>");
        }
        if (key.indexOf(NUL) >= 0) {
            throw new MalformedResultException("key contains a NUL character");
        }
        ObjectNode json = parseObject(value);
        rejectNulCharacters(json);
        String pipeline = requiredText(json, PipelineResult.PIPELINE);
        if (!pipeline.equals(topicPipeline)) {
            throw new MalformedResultException("pipeline '" + pipeline + "' does not match topic " + source.topic());
        }
        String windowStartText = requiredText(json, PipelineResult.WINDOW_START);
        Instant windowStart = timestamp(PipelineResult.WINDOW_START, windowStartText);
        Instant windowEnd = optionalTimestamp(json, PipelineResult.WINDOW_END);
        Instant emittedAt = optionalTimestamp(json, PipelineResult.EMITTED_AT);

        Optional<PipelineResult> contract = catalog.contract(pipeline);
        List<String> groupFields = contract.isPresent() ? contract.get().groupFields() : textFields(json);
        Map<String, String> groups = new LinkedHashMap<>();
        for (String field : groupFields) {
            groups.put(field, groupValue(field, json.get(field)));
        }
        if (contract.isPresent()) {
            checkMetricTypes(contract.get(), json);
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
        if (key.length() > MAX_KEY_CHARS) {
            throw new MalformedResultException("key is longer than " + MAX_KEY_CHARS + " characters");
        }
        List<String> groupTexts =
                groups.values().stream().map(v -> v == null ? "" : v).toList();
        String impliedKey = new PipelineResult(pipeline, List.of(), List.of()).key(windowStartText, groupTexts);
        if (!key.equals(impliedKey)) {
            throw new MalformedResultException("key does not match the value: the value's key is " + impliedKey);
        }
        // Last, so that a record refused for anything else never adds columns to an uncatalogued pipeline. Its key
        // follows its own text fields; its columns are the pipeline's, in the order they were first seen.
        List<String> columns = contract.isPresent() ? groupFields : learn(pipeline, groupFields);
        Map<String, String> inColumnOrder = new LinkedHashMap<>();
        columns.forEach(field -> inColumnOrder.put(field, groups.get(field)));
        return new ResultRecord(
                key, pipeline, windowStart, windowEnd, inColumnOrder, metrics, payload, emittedAt, source);
    }

    /** Outside the catalogue: text fields are what a result can be grouped by (documented in the README). */
    private static List<String> textFields(ObjectNode json) throws MalformedResultException {
        List<String> textFields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isTextual() && !STANDARD_FIELDS.contains(field.getKey())) {
                String name = field.getKey();
                if (name.length() > MAX_GROUP_FIELD_NAME_CHARS || name.isEmpty()) {
                    throw new MalformedResultException(
                            "group field name must have 1 to " + MAX_GROUP_FIELD_NAME_CHARS + " characters");
                }
                if (name.contains(FIELD_NAME_SEPARATOR)) {
                    throw new MalformedResultException("group field name '" + name + "' contains a comma");
                }
                textFields.add(name);
            }
        }
        if (textFields.size() > PipelineCatalog.MAX_GROUP_FIELDS) {
            throw new MalformedResultException("value has " + textFields.size() + " text fields " + textFields
                    + "; at most " + PipelineCatalog.MAX_GROUP_FIELDS + " group fields are supported");
        }
        return textFields;
    }

    private List<String> learn(String pipeline, List<String> fields) throws MalformedResultException {
        try {
            return catalog.learn(pipeline, fields);
        } catch (IllegalArgumentException e) {
            throw new MalformedResultException(e.getMessage(), e);
        }
    }

    /** Group values are scalars (the analytics writes numbers such as {@code age_bucket} as numbers); null if unset. */
    private static String groupValue(String field, JsonNode node) throws MalformedResultException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new MalformedResultException("group field " + field + " must be a string or a number");
        }
        String text = node.asText();
        if (text.length() > MAX_GROUP_VALUE_CHARS) {
            throw new MalformedResultException("group field " + field + " is longer than " + MAX_GROUP_VALUE_CHARS);
        }
        return text;
    }

    /** A catalogued metric is a number or null (no data in the window), never anything else: the charts sum them. */
    private static void checkMetricTypes(PipelineResult contract, ObjectNode json) throws MalformedResultException {
        for (String metric : contract.metricFields()) {
            JsonNode node = json.get(metric);
            if (node != null && !node.isNull() && !node.isNumber()) {
                throw new MalformedResultException(
                        "metric field " + metric + " must be a number, got " + node.getNodeType());
            }
        }
    }

    /** PostgreSQL cannot store NUL in text; one in a column would fail the whole transaction. */
    private static void rejectNulCharacters(ObjectNode json) throws MalformedResultException {
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().indexOf(NUL) >= 0
                    || (field.getValue().isTextual()
                            && field.getValue().asText().indexOf(NUL) >= 0)) {
                throw new MalformedResultException(
                        "field " + field.getKey().replace(NUL, '?') + " contains a NUL character");
            }
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
            throw new MalformedResultException(
                    "not a JSON object: " + new String(value, 0, Math.min(value.length, 40), StandardCharsets.UTF_8));
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
        Instant instant;
        try {
            instant = Json.parseTimestamp(text.trim());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new MalformedResultException(field + " is not an ISO-8601 timestamp: " + text, e);
        }
        if (instant.isBefore(ResultStore.EARLIEST) || instant.isAfter(ResultStore.LATEST)) {
            throw new MalformedResultException(field + " " + text + " is outside " + ResultStore.EARLIEST + " to "
                    + ResultStore.LATEST + ", what every supported database stores");
        }
        return instant;
    }
}
