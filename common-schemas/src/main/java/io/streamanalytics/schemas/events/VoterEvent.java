package io.streamanalytics.schemas.events;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/** Topic {@code voters}: one vote cast, as in the voter-statistics notebook (docs/notebooks.md). */
@JsonPropertyOrder({"gender", "age", "party", "timestamp"})
public record VoterEvent(String gender, int age, String party, Instant timestamp) implements Event {

    @Override
    public Instant eventTime() {
        return timestamp;
    }
}
