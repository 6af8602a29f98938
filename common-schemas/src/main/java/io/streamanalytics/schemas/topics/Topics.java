package io.streamanalytics.schemas.topics;

import io.streamanalytics.schemas.events.Event;
import java.util.List;
import java.util.Optional;

/**
 * The topic registry: every topic name in the system comes from here. The input topics are the event types'
 * ({@link EventType}, which holds each one's contract); the constants below name the six of the design for call
 * sites that think in topics.
 */
public final class Topics {

    public static final EventType CLICKSTREAM = EventType.CLICKSTREAM;
    public static final EventType RANDOM_VALUES = EventType.RANDOM_VALUES;
    public static final EventType TWITTER = EventType.TWITTER;
    public static final EventType VOTERS = EventType.VOTERS;
    public static final EventType SCOTSMEN = EventType.SCOTSMEN;
    public static final EventType BAGPIPE = EventType.BAGPIPE;

    /** The input topics, one per event type, in the order of the README's topic table (the types' order). */
    public static final List<EventType> INPUTS = List.of(EventType.values());

    /** Records that no pipeline could parse, with where they came from and why (see {@link DeadLetter}). */
    public static final String DEAD_LETTERS = "dead-letters";

    /** Every pipeline writes to {@code results.<pipeline>}; the consumer subscribes by this prefix. */
    public static final String RESULTS_PREFIX = "results.";

    private Topics() {}

    public static String results(String pipeline) {
        return RESULTS_PREFIX + pipeline;
    }

    /** The input topic of this name. */
    public static Optional<EventType> byName(String name) {
        return INPUTS.stream().filter(t -> t.topicName().equals(name)).findFirst();
    }

    /** The topic an event belongs to. */
    public static EventType of(Event event) {
        return INPUTS.stream()
                .filter(t -> t.recordClass().isInstance(event))
                .findFirst()
                .orElseThrow();
    }
}
