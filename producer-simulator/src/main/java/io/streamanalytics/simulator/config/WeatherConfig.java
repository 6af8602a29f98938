package io.streamanalytics.simulator.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The weather CSV files: every {@code fileInterval} (wall clock) one file of {@code readingsPerFile} readings,
 * {@code readingInterval} apart in event time. Event time starts at the simulator's start time minus
 * {@code backfill} and never passes the wall clock, so a live demo first fills a few days of history quickly
 * and then follows real time.
 */
public record WeatherConfig(
        boolean enabled,
        Path directory,
        Duration fileInterval,
        int readingsPerFile,
        Duration readingInterval,
        Duration backfill,
        long fileCount) {

    public WeatherConfig {
        if (enabled) {
            if (isNotPositive(fileInterval) || isNotPositive(readingInterval)) {
                throw new IllegalArgumentException("weather file and reading intervals must be positive");
            }
            if (readingsPerFile < 1) {
                throw new IllegalArgumentException(
                        "weather readings per file must be at least 1, got " + readingsPerFile);
            }
            if (backfill.isNegative() || fileCount < 0) {
                throw new IllegalArgumentException("weather backfill and file count must not be negative");
            }
        }
    }

    private static boolean isNotPositive(Duration duration) {
        return duration.isZero() || duration.isNegative();
    }
}
