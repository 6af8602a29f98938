package io.streamanalytics.consumer.store;

import io.streamanalytics.schemas.results.PipelineResult;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One result record as read from a {@code results.<pipeline>} topic, validated: the row {@link ResultStore#apply}
 * upserts, which the ingestion builds and the event stream and the metrics are told about.
 *
 * @param key         the record key, which identifies the result (pipeline, window start, group values)
 * @param groups      group field name to value (null where the record leaves it unset), in column order
 * @param metrics     the numeric fields
 * @param payload     the value as compact JSON, served as it came
 * @param emittedAt   when the analytics emitted it, or null if the record does not say
 */
public record ResultRecord(
        String key,
        String pipeline,
        Instant windowStart,
        Instant windowEnd,
        Map<String, String> groups,
        Map<String, Double> metrics,
        String payload,
        Instant emittedAt,
        SourcePosition source) {

    public ResultRecord {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The group values in column order; what identifies "the same group" across windows. */
    public List<String> groupValues() {
        return List.copyOf(groups.values().stream().map(v -> v == null ? "" : v).toList());
    }

    /** The group values joined as in the record key; empty for a pipeline without group fields. */
    public String groupKey() {
        return String.join(PipelineResult.KEY_SEPARATOR, groupValues());
    }
}
