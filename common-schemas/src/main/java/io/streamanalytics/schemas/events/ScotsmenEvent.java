package io.streamanalytics.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/** Topic {@code scotsmen}: citizens of a district turned into scotsmen at {@code timestamp}. */
@JsonPropertyOrder({"district", "new_scotsmen", "timestamp"})
public record ScotsmenEvent(
        String district, @JsonProperty("new_scotsmen") int newScotsmen, Instant timestamp) implements Event {

    @Override
    public Instant eventTime() {
        return timestamp;
    }
}
