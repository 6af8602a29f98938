package io.streamanalytics.simulator.send;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * Maps event time to wall time: a record whose schedule says {@code t} is sent {@code (t - start) / speed}
 * after the pacer was created. Speed 0 never waits.
 */
public final class Pacer {

    private final Instant virtualStart;
    private final double speed;
    private final long wallStartNanos = System.nanoTime();

    public Pacer(Instant virtualStart, double speed) {
        this.virtualStart = virtualStart;
        this.speed = speed;
    }

    /**
     * Waits until {@code scheduled} is due.
     *
     * @return false if the thread was interrupted while waiting (the simulator is stopping)
     */
    public boolean awaitDue(Instant scheduled) {
        if (speed == 0) {
            return !Thread.currentThread().isInterrupted();
        }
        long offsetNanos = Duration.between(virtualStart, scheduled).toNanos();
        long dueNanos = wallStartNanos + (long) (offsetNanos / speed);
        for (long wait = dueNanos - System.nanoTime(); wait > 0; wait = dueNanos - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return !Thread.currentThread().isInterrupted();
    }
}
