package io.streamanalytics.consumer.ingest;

/** A record on a results topic that breaks the result contract; it is counted and sampled, never applied. */
public final class MalformedResultException extends Exception {

    public MalformedResultException(String message) {
        super(message);
    }

    public MalformedResultException(String message, Throwable cause) {
        super(message, cause);
    }
}
