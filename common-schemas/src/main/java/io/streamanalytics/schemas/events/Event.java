package io.streamanalytics.schemas.events;

import java.time.Instant;

/** An input event of one of the six wire types: every event carries its own event time. */
public sealed interface Event permits ClickEvent, RandomValueEvent, Tweet, VoterEvent, ScotsmenEvent, BagpipeSaleEvent {

    /** The time the event happened; the Kafka record timestamp is set to it. */
    Instant eventTime();
}
