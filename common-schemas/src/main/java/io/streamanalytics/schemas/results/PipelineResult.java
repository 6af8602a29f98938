package io.streamanalytics.schemas.results;

import java.util.List;

/**
 * The output contract of one pipeline: its name (topic {@code results.<name>}), the group fields that
 * identify a result within a window (in key order) and its metric fields.
 *
 * <p>Every result value is one flat JSON object with {@value #PIPELINE}, {@value #WINDOW_START},
 * {@value #WINDOW_END} (ISO-8601 UTC), the group fields, the metric fields and {@value #EMITTED_AT}. Its key is
 * {@code <pipeline>|<window_start>|<group values joined by |>}, so a result re-sent after a restart replaces
 * the earlier one on the compacted topic.
 */
public record PipelineResult(String name, List<String> groupFields, List<String> metricFields) {

    public static final String PIPELINE = "pipeline";
    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String EMITTED_AT = "emitted_at";
    public static final String KEY_SEPARATOR = "|";

    public PipelineResult {
        groupFields = List.copyOf(groupFields);
        metricFields = List.copyOf(metricFields);
    }

    /** The record key of a result: deterministic in pipeline, window start and group values. */
    public String key(String windowStart, List<String> groupValues) {
        StringBuilder key = new StringBuilder(name).append(KEY_SEPARATOR).append(windowStart);
        groupValues.forEach(value -> key.append(KEY_SEPARATOR).append(value));
        return key.toString();
    }
}
