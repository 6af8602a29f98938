package io.streamanalytics.analytics.pipelines;

import java.time.Duration;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * The event-time choices of one pipeline: window length, slide (equal to the window for tumbling windows)
 * and how long the watermark waits for late events.
 */
public record EventTimeParams(Duration window, Duration slide, Duration watermark) {

    public EventTimeParams {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(slide, "slide");
        Objects.requireNonNull(watermark, "watermark");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        if (slide.isNegative() || slide.isZero() || slide.compareTo(window) > 0) {
            throw new IllegalArgumentException(
                    "slide must be positive and at most the window " + window + ", got " + slide);
        }
        if (watermark.isNegative()) {
            throw new IllegalArgumentException("watermark must not be negative, got " + watermark);
        }
    }

    public static EventTimeParams tumbling(Duration window, Duration watermark) {
        return new EventTimeParams(window, window, watermark);
    }

    public static EventTimeParams sliding(Duration window, Duration slide, Duration watermark) {
        return new EventTimeParams(window, slide, watermark);
    }

    /** The event-time window column Spark groups by; named {@code window} with {@code start} and {@code end}. */
    public Column windowOf(Column eventTime) {
        return functions.window(eventTime, sparkInterval(window), sparkInterval(slide));
    }

    public String watermarkInterval() {
        return sparkInterval(watermark);
    }

    /** Spark's interval syntax; milliseconds keep any configured precision exactly. */
    static String sparkInterval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }

    /** A stable text form, stored beside a checkpoint to detect a changed definition. */
    public String fingerprint() {
        return "window=" + window + ",slide=" + slide + ",watermark=" + watermark;
    }
}
