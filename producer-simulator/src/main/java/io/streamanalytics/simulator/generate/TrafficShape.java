package io.streamanalytics.simulator.generate;

import java.time.Duration;

/**
 * How fast events happen in event time: a base rate, with optional bursts (the last {@code burstDuration} of
 * every {@code burstEvery} runs at {@code burstFactor} times the rate) and idle periods (the last
 * {@code idleDuration} of every {@code idleEvery} has no events; idle wins over a burst).
 */
public record TrafficShape(
        double ratePerSecond,
        Duration burstEvery,
        Duration burstDuration,
        double burstFactor,
        Duration idleEvery,
        Duration idleDuration) {

    public TrafficShape {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException(
                    "rate must be a positive number of events per second, got " + ratePerSecond);
        }
        requireWithin("burst", burstEvery, burstDuration);
        requireWithin("idle", idleEvery, idleDuration);
        if (!(burstFactor > 0)) {
            throw new IllegalArgumentException("burst factor must be positive, got " + burstFactor);
        }
    }

    public static TrafficShape steady(double ratePerSecond) {
        return new TrafficShape(ratePerSecond, Duration.ZERO, Duration.ZERO, 1, Duration.ZERO, Duration.ZERO);
    }

    /** Events per second at {@code offsetNanos} after the stream's start. */
    double rateAt(long offsetNanos) {
        if (inTail(offsetNanos, idleEvery, idleDuration)) {
            return 0;
        }
        return inTail(offsetNanos, burstEvery, burstDuration) ? ratePerSecond * burstFactor : ratePerSecond;
    }

    /** Where the idle period that contains {@code offsetNanos} ends. */
    long idleEnd(long offsetNanos) {
        long every = idleEvery.toNanos();
        return (offsetNanos / every + 1) * every;
    }

    private static boolean inTail(long offsetNanos, Duration every, Duration tail) {
        if (every.isZero() || tail.isZero()) {
            return false;
        }
        return offsetNanos % every.toNanos() >= every.toNanos() - tail.toNanos();
    }

    private static void requireWithin(String what, Duration every, Duration duration) {
        if (every.isNegative() || duration.isNegative() || (!every.isZero() && duration.compareTo(every) >= 0)) {
            throw new IllegalArgumentException(
                    what + " duration " + duration + " must be shorter than its period " + every);
        }
    }
}
