package io.streamanalytics.schemas.validate;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What counts as an absurd event time. Old data may be replayed (the Twitter archive is from 2016), so the lower
 * bound is generous. The upper bound is tight on purpose: a watermark follows the largest event time seen, so one
 * event from the future would make every real event late for as long as it is ahead. What it still allows is
 * clock skew between producers and this service.
 *
 * @param maxAhead how far ahead of the wall clock an event time may be
 */
public record EventTimeBounds(Duration maxAhead) implements Serializable {

    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** Ample for NTP-synchronised producers, yet a hostile event can hold a watermark ahead for two minutes only. */
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofMinutes(2);

    public static final EventTimeBounds DEFAULT = new EventTimeBounds(DEFAULT_MAX_AHEAD);

    public EventTimeBounds {
        if (maxAhead.isNegative()) {
            throw new IllegalArgumentException("the accepted event-time skew cannot be negative, got " + maxAhead);
        }
    }

    /** Null when {@code eventTime} is plausible, else the reason it is not. */
    public String check(Instant eventTime, Clock clock) {
        if (eventTime.isBefore(EARLIEST)) {
            return "event time " + eventTime + " is before " + EARLIEST;
        }
        Instant now = clock.instant();
        if (eventTime.isAfter(now.plus(maxAhead))) {
            return "event time " + eventTime + " is more than " + maxAhead.toSeconds() + " s ahead of the clock (" + now
                    + ")";
        }
        return null;
    }
}
