package io.streamanalytics.consumer.ingest;

/** What the rest of the service reads of the poll loop: its health and the problems it has set aside. */
public interface IngestStatus {

    /** False once the poll loop has ended, for whatever reason. */
    boolean isAlive();

    /** Why it is or is not ready. */
    Readiness.State readiness();

    ProblemSample deadLetters();

    ProblemSample malformedResults();
}
