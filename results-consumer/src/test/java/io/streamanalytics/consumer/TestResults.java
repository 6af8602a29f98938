package io.streamanalytics.consumer;

import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.results.PipelineResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Result records in exactly the wire format the analytics emits, built by hand so tests know every value. */
public final class TestResults {

    private TestResults() {
    }

    /** A result value: standard fields, then the given group and metric fields in order. */
    public static String value(String pipeline, Instant windowStart, Duration window, Map<String, ?> fields, Instant emittedAt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(PipelineResult.PIPELINE, pipeline);
        json.put(PipelineResult.WINDOW_START, windowStart.toString());
        json.put(PipelineResult.WINDOW_END, windowStart.plus(window).toString());
        json.putAll(fields);
        json.put(PipelineResult.EMITTED_AT, emittedAt.toString());
        return Json.toJson(json);
    }

    /** The record key of the contract: {@code <pipeline>|<window_start>|<group values joined by |>}. */
    public static String key(String pipeline, Instant windowStart, List<String> groupValues) {
        return new PipelineResult(pipeline, List.of(), List.of()).key(windowStart.toString(), groupValues);
    }

    public static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }
}
