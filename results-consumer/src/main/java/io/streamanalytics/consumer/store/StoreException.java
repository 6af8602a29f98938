package io.streamanalytics.consumer.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** A database operation failed; the message says which. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same statements can succeed later: the database was unreachable or restarting (SQLSTATE class
     * 08, 57P), out of resources (53), or picked this transaction as a deadlock or serialisation victim (40).
     * Anything else, above all a value it refuses (22, 23), fails again however often it is retried. Erring
     * towards "not transient" is safe: the materialiser then splits the batch, and only a record the database
     * refuses while it stores the others' offsets is set aside.
     */
    public boolean isTransient() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            for (SQLException sql = t instanceof SQLException e ? e : null; sql != null; sql = sql.getNextException()) {
                String state = sql.getSQLState();
                if (state != null
                        && (state.startsWith("08")
                                || state.startsWith("40")
                                || state.startsWith("53")
                                || state.startsWith("57P"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The database's own words, for a problem record: the innermost cause's message. */
    public String reason() {
        Throwable root = this;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
