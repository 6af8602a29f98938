package io.streamanalytics.simulator.generate;

import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.topics.EventType;
import java.time.Instant;

/**
 * One record the simulator sends.
 *
 * @param topic       where it goes
 * @param key         the record key (null for topics without one)
 * @param value       the record value bytes
 * @param eventTime   the event's time, also the Kafka record timestamp
 * @param nominalTime when the event happens in the stream's schedule; sending is paced by it. It differs from
 *                    {@code eventTime} for out-of-order and late events.
 * @param event       the event, or null when the record is malformed on purpose
 * @param malformed   the injected fault, or null for a good record
 */
public record SimRecord(
        EventType topic,
        String key,
        byte[] value,
        Instant eventTime,
        Instant nominalTime,
        Event event,
        MalformedKind malformed) {}
