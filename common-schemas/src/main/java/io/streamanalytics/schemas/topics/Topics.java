package io.streamanalytics.schemas.topics;

import io.streamanalytics.schemas.events.BagpipeSaleEvent;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.events.Tweet;
import io.streamanalytics.schemas.events.VoterEvent;
import java.util.List;
import java.util.Optional;

/** The topic registry: every topic name in the system comes from here. */
public final class Topics {

    public static final EventTopic<ClickEvent> CLICKSTREAM =
            new EventTopic<>("clickstream", ClickEvent.class, "ts", e -> null);
    public static final EventTopic<RandomValueEvent> RANDOM_VALUES =
            new EventTopic<>("random-values", RandomValueEvent.class, "ts", e -> null);
    public static final EventTopic<Tweet> TWITTER =
            new EventTopic<>("twitter", Tweet.class, "timestamp_ms", t -> t.user() == null ? null : t.user().idStr());
    public static final EventTopic<VoterEvent> VOTERS =
            new EventTopic<>("voters", VoterEvent.class, "timestamp", e -> null);
    public static final EventTopic<ScotsmenEvent> SCOTSMEN =
            new EventTopic<>("scotsmen", ScotsmenEvent.class, "timestamp", ScotsmenEvent::district);
    public static final EventTopic<BagpipeSaleEvent> BAGPIPE =
            new EventTopic<>("bagpipe", BagpipeSaleEvent.class, "timestamp", BagpipeSaleEvent::district);

    /** The six input topics, in the order of the README's topic table. */
    public static final List<EventTopic<? extends Event>> INPUTS =
            List.of(CLICKSTREAM, RANDOM_VALUES, TWITTER, VOTERS, SCOTSMEN, BAGPIPE);

    /** Records that no pipeline could parse, with where they came from and why (see {@link DeadLetter}). */
    public static final String DEAD_LETTERS = "dead-letters";

    /** Every pipeline writes to {@code results.<pipeline>}; the consumer subscribes by this prefix. */
    public static final String RESULTS_PREFIX = "results.";

    private Topics() {
    }

    public static String results(String pipeline) {
        return RESULTS_PREFIX + pipeline;
    }

    public static Optional<EventTopic<? extends Event>> byName(String name) {
        return INPUTS.stream().filter(t -> t.topicName().equals(name)).findFirst();
    }

    /** The topic an event belongs to. */
    @SuppressWarnings("unchecked")
    public static <E extends Event> EventTopic<E> of(E event) {
        return (EventTopic<E>) INPUTS.stream()
                .filter(t -> t.valueType().isInstance(event))
                .findFirst()
                .orElseThrow();
    }
}
