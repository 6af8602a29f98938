package io.streamanalytics.simulator.generate;

import io.streamanalytics.schemas.events.Event;
import java.time.Instant;
import java.util.SplittableRandom;

/** Makes the content of one event type; time, ordering and faults are the {@link EventStream}'s job. */
@FunctionalInterface
public interface EventFactory<E extends Event> {

    /**
     * @param eventTime the event's (possibly shifted) event time
     * @param sequence  0-based position of the event in its stream
     * @param random    the stream's random source; the only randomness a factory may use
     */
    E create(Instant eventTime, long sequence, SplittableRandom random);
}
