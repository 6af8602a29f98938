package io.streamanalytics.schemas.validate;

import io.streamanalytics.schemas.events.Event;

/** The outcome of validating one raw record against the contract. */
public sealed interface Validation {

    record Valid(Event event) implements Validation {}

    record Invalid(String reason) implements Validation {}
}
