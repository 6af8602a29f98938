package io.streamanalytics.schemas.topics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/** A record on {@link Topics#DEAD_LETTERS}: an input that could not be used, and why. */
@JsonPropertyOrder({"source_topic", "partition", "offset", "raw", "error", "seen_at"})
public record DeadLetter(
        @JsonProperty("source_topic") String sourceTopic,
        int partition,
        long offset,
        String raw,
        String error,
        @JsonProperty("seen_at") Instant seenAt) {
}
