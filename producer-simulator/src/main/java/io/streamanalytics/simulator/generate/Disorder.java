package io.streamanalytics.simulator.generate;

import java.time.Duration;

/**
 * How event time departs from the order of sending: a fraction of events is out of order by up to
 * {@code outOfOrderMax} (behind the events sent before it), and a fraction is late by more than
 * {@code lateBy} (between one and two times it), so that watermarks have something to drop.
 */
public record Disorder(double outOfOrderFraction, Duration outOfOrderMax, double lateFraction, Duration lateBy) {

    public static final Disorder NONE = new Disorder(0, Duration.ZERO, 0, Duration.ZERO);

    public Disorder {
        requireFraction("out-of-order fraction", outOfOrderFraction);
        requireFraction("late fraction", lateFraction);
        if (outOfOrderFraction + lateFraction > 1) {
            throw new IllegalArgumentException("out-of-order and late fractions add up to more than 1");
        }
        if (outOfOrderMax.isNegative() || lateBy.isNegative()) {
            throw new IllegalArgumentException("disorder durations must not be negative");
        }
    }

    static void requireFraction(String what, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException(what + " must be between 0 and 1, got " + fraction);
        }
    }
}
