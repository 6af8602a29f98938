package io.streamanalytics.schemas.events;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * Topic {@code random-values}: the granularity-reduction notebook's {@code ts}/{@code value} pairs
 * (docs/notebooks.md).
 */
@JsonPropertyOrder({"ts", "value"})
public record RandomValueEvent(Instant ts, int value) implements Event {

    @Override
    public Instant eventTime() {
        return ts;
    }
}
