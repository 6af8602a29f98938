package io.streamanalytics.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/** Topic {@code clickstream}: the capitalised field names of the clickstream notebook (docs/notebooks.md). */
@JsonPropertyOrder({"Clicks", "Impressions", "ts"})
public record ClickEvent(
        @JsonProperty("Clicks") int clicks,
        @JsonProperty("Impressions") int impressions,
        @JsonProperty("ts") Instant ts)
        implements Event {

    @Override
    public Instant eventTime() {
        return ts;
    }
}
