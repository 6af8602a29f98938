package io.streamanalytics.consumer.store;

/** A database operation failed; the message says which. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
