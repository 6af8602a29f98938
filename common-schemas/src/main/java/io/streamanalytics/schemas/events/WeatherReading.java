package io.streamanalytics.schemas.events;

import java.time.Instant;
import java.util.Locale;

/**
 * One weather reading. Not a topic: readings arrive as CSV files dropped into a directory (the scotsmen
 * notebook's "simulating streaming datasets", docs/notebooks.md), one reading per line under {@link #CSV_HEADER}.
 */
public record WeatherReading(Instant timestamp, double minTemperature, double maxTemperature, double precipitation) {

    public static final String CSV_HEADER = "timestamp,min_temperature,max_temperature,precipitation";

    public String toCsvLine() {
        return String.format(
                Locale.ROOT, "%s,%.1f,%.1f,%.1f", timestamp, minTemperature, maxTemperature, precipitation);
    }
}
