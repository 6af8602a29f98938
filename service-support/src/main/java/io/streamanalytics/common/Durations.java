package io.streamanalytics.common;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in environment variables and options, one grammar for every service:
 * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, the long units ({@code 30 seconds},
 * {@code 5 minutes}), {@code 0}, or ISO-8601 ({@code PT5M}).
 */
public final class Durations {

    private static final Pattern SIMPLE =
            Pattern.compile("(\\d+)\\s*(ms|milliseconds?|s|seconds?|m|min|minutes?|h|hours?|d|days?)");

    private Durations() {}

    /** @throws IllegalArgumentException with the accepted spellings, if the text is none of them */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SIMPLE.matcher(trimmed);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2);
            if (unit.equals("ms") || unit.startsWith("milli")) {
                return Duration.ofMillis(amount);
            }
            return switch (unit.charAt(0)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration such as 500ms, 10s, 5m, 1h or PT5M: '" + text + "'");
        }
    }

    /** The short form used in help and logs: {@code 0}, {@code 2h}, {@code 5m}, {@code 30s} or {@code 250ms}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0";
        }
        long ms = duration.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
