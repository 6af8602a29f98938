package io.streamanalytics.simulator.weather;

import io.streamanalytics.schemas.events.WeatherReading;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * Readings of a mild Atlantic climate: a seasonal and a daily temperature cycle with noise, and rain in a
 * minority of intervals. Deterministic for a seed and a start time, like the event streams.
 */
final class WeatherGenerator {

    private static final double MEAN_CELSIUS = 16;
    private static final double SEASONAL_AMPLITUDE = 6;
    private static final double DAILY_AMPLITUDE = 5;
    private static final double RAIN_PROBABILITY = 0.15;
    private static final double MEAN_RAIN_MM = 0.8;

    private final SplittableRandom random;
    private final Duration interval;
    private Instant next;

    WeatherGenerator(long seed, Instant first, Duration interval) {
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + "weather".hashCode());
        this.interval = interval;
        this.next = first;
    }

    /** The time of the reading {@code ahead} readings from now (0: the next one). */
    Instant peek(int ahead) {
        return next.plus(interval.multipliedBy(ahead));
    }

    WeatherReading next() {
        Instant t = next;
        next = next.plus(interval);
        var utc = t.atOffset(ZoneOffset.UTC);
        double season = Math.sin(2 * Math.PI * (utc.getDayOfYear() - 110) / 365.0);
        double hour = utc.getHour() + utc.getMinute() / 60.0;
        double day = Math.sin(2 * Math.PI * (hour - 9) / 24.0);
        double temperature = MEAN_CELSIUS + SEASONAL_AMPLITUDE * season + DAILY_AMPLITUDE * day + random.nextGaussian();
        double spread = 0.3 + Math.abs(random.nextGaussian()) * 0.8;
        double rain = random.nextDouble() < RAIN_PROBABILITY ? -MEAN_RAIN_MM * Math.log(1 - random.nextDouble()) : 0;
        return new WeatherReading(t, round(temperature - spread), round(temperature + spread), round(rain));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
