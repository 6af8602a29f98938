package io.streamanalytics.consumer.store;

import java.time.Instant;
import java.util.Map;

/**
 * A query for stored results of one pipeline.
 *
 * @param from         earliest window start, inclusive (null: unbounded)
 * @param to           latest window start, exclusive (null: unbounded)
 * @param groupFilters group field name to the value it must have
 * @param limit        at most this many results
 */
public record ResultQuery(String pipeline, Instant from, Instant to, Map<String, String> groupFilters, int limit) {

    public ResultQuery {
        groupFilters = Map.copyOf(groupFilters);
    }
}
