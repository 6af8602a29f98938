package io.streamanalytics.consumer.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@code /health/ready} says, from what the poll loop observes: ready once it has caught up with the results
 * topics, and not ready while Kafka has not answered, or results could not be stored, for longer than the grace.
 * After such an outage it is ready again only once it has caught up with the topics as they were when it ended.
 * The poll loop reports; any thread may ask, and the answer is computed then, so a poll loop stuck in a hanging
 * database call is reported as well.
 */
public final class Readiness {

    public enum Status {
        READY,
        CATCHING_UP,
        KAFKA_UNREACHABLE,
        STORE_FAILING,
        STOPPED
    }

    /** The answer: a status and, unless ready, why. */
    public record State(Status status, String reason) {
        public boolean ready() {
            return status == Status.READY;
        }
    }

    private final Duration grace;
    private final Clock clock;
    /**
     * When the first of the requests that have failed since Kafka last answered was made. Counted from failed
     * requests, not from the last answer: a loop busy retrying the database asks nothing, and that is no outage.
     */
    private volatile Instant kafkaSilentSince;

    private volatile String kafkaError;
    private volatile Instant unstoredSince;
    private volatile String storeError;
    private volatile boolean caughtUp;

    public Readiness(Duration grace, Clock clock) {
        this.grace = grace;
        this.clock = clock;
    }

    /** Kafka answered a request. Returns true if that ends an outage longer than the grace. */
    boolean kafkaAnswered() {
        boolean outageEnded = longerThanGrace(kafkaSilentSince, clock.instant());
        kafkaSilentSince = null;
        if (outageEnded) {
            caughtUp = false;
        }
        return outageEnded;
    }

    void kafkaSilent(String error) {
        kafkaError = error;
        if (kafkaSilentSince == null) {
            kafkaSilentSince = clock.instant();
        }
    }

    /** A transaction is about to start; the time counts from the first attempt that has not succeeded yet. */
    void storing() {
        if (unstoredSince == null) {
            unstoredSince = clock.instant();
        }
    }

    /** A transaction committed. Returns true if that ends an outage longer than the grace. */
    boolean stored() {
        boolean outageEnded = longerThanGrace(unstoredSince, clock.instant());
        unstoredSince = null;
        storeError = null;
        if (outageEnded) {
            caughtUp = false;
        }
        return outageEnded;
    }

    void storeFailed(String error) {
        storeError = error;
    }

    void caughtUp() {
        caughtUp = true;
    }

    boolean isCaughtUp() {
        return caughtUp;
    }

    public State state() {
        Instant now = clock.instant();
        Instant unstored = unstoredSince;
        if (longerThanGrace(unstored, now)) {
            String error = storeError;
            return new State(
                    Status.STORE_FAILING,
                    "results not stored for " + seconds(unstored, now) + " s: "
                            + (error == null ? "a transaction has not finished" : error));
        }
        Instant silent = kafkaSilentSince;
        if (longerThanGrace(silent, now)) {
            return new State(
                    Status.KAFKA_UNREACHABLE, "no answer from Kafka for " + seconds(silent, now) + " s: " + kafkaError);
        }
        return caughtUp
                ? new State(Status.READY, null)
                : new State(Status.CATCHING_UP, "reading the results topics up to their end offsets");
    }

    private boolean longerThanGrace(Instant since, Instant now) {
        return since != null && Duration.between(since, now).compareTo(grace) > 0;
    }

    private static long seconds(Instant since, Instant now) {
        return Duration.between(since, now).toSeconds();
    }
}
