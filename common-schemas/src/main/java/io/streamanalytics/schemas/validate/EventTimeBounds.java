package io.streamanalytics.schemas.validate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What counts as an absurd event time. Old data may be replayed (the Twitter archive is from 2016), so the
 * lower bound is generous; an event from the future beyond clock skew would hold a watermark hostage.
 */
public final class EventTimeBounds {

    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Duration MAX_AHEAD_OF_NOW = Duration.ofDays(1);

    private EventTimeBounds() {
    }

    /** Null when {@code eventTime} is plausible, else the reason it is not. */
    public static String check(Instant eventTime, Clock clock) {
        if (eventTime.isBefore(EARLIEST)) {
            return "event time " + eventTime + " is before " + EARLIEST;
        }
        Instant latest = clock.instant().plus(MAX_AHEAD_OF_NOW);
        if (eventTime.isAfter(latest)) {
            return "event time " + eventTime + " is more than " + MAX_AHEAD_OF_NOW.toHours() + " h in the future";
        }
        return null;
    }
}
