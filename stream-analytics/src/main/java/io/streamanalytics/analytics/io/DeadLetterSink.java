package io.streamanalytics.analytics.io;

import io.streamanalytics.schemas.topics.DeadLetter;
import java.io.Serializable;

/**
 * Where the parse step sends the records it rejects, from inside the Spark task that parsed them: each record is
 * read and parsed once, instead of once more by a second branch of the query for its dead letters.
 * Implementations are serialised into every task.
 */
public interface DeadLetterSink extends Serializable {

    /** Drops rejected records: for a query that reads a topic whose dead letters another query reports. */
    DeadLetterSink DISCARD = new DeadLetterSink() {
        private static final long serialVersionUID = 1L;

        @Override
        public void send(DeadLetter letter) {}

        @Override
        public void flush() {}
    };

    /** Hands a record over; it may be sent asynchronously until {@link #flush()}. */
    void send(DeadLetter letter);

    /**
     * Returns once everything sent so far is stored; called before the parse task ends, so a micro-batch never
     * commits with its dead letters in flight.
     *
     * @throws RuntimeException if a record could not be stored: the task fails and Spark retries it
     */
    void flush();
}
