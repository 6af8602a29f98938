package io.streamanalytics.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/** Topic {@code bagpipe}: bagpipes sold in a district at {@code timestamp}. */
@JsonPropertyOrder({"district", "bagpipe_sales", "timestamp"})
public record BagpipeSaleEvent(
        String district, @JsonProperty("bagpipe_sales") int bagpipeSales, Instant timestamp) implements Event {

    @Override
    public Instant eventTime() {
        return timestamp;
    }
}
