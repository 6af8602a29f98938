package io.streamanalytics.simulator.generate;

/** The faults the simulator injects, for testing how downstream handles bad input (dead letters). */
public enum MalformedKind {
    /** A truncated write: the first half of the JSON text. */
    NOT_JSON,
    /** A required field removed. */
    MISSING_FIELD,
    /** A required field of the wrong JSON type (a number where text belongs, text where a number does). */
    WRONG_TYPE,
    /** The event time of a default-initialised clock: 1970-01-01. */
    ABSURD_TIMESTAMP
}
