package io.streamanalytics.simulator.config;

import io.streamanalytics.schemas.topics.EventType;
import java.time.Duration;

/**
 * One event type's switch and volume.
 *
 * @param count    stop after this many records, 0 for no limit
 * @param duration stop when the stream's event-time schedule reaches start + duration, zero for no limit
 */
public record StreamConfig(EventType topic, boolean enabled, double ratePerSecond, long count, Duration duration) {

    public StreamConfig {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException(
                    topic.topicName() + ": rate must be a positive number of events per second, got " + ratePerSecond);
        }
        if (count < 0) {
            throw new IllegalArgumentException(topic.topicName() + ": count must not be negative, got " + count);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException(topic.topicName() + ": duration must not be negative");
        }
    }
}
