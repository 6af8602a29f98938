package io.streamanalytics.schemas.validate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Wire timestamps ({@code 2024-12-03T10:12:47Z}, a fraction of up to nine digits, {@code Z} or an offset, or
 * nothing for UTC) read by hand: exactly what {@code Json.parseTimestamp}'s ISO formatter accepts of the text that
 * the schemas' pattern lets through, without a formatter and its parsed-field map per record.
 */
final class Timestamps {

    private static final int MAX_OFFSET_SECONDS = 18 * 3600;
    private static final int[] NANOS_PER_DIGIT = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };

    private Timestamps() {}

    /** The instant, or null if {@code text} is not such a timestamp of a real date and time. */
    static Instant parse(String text) {
        int length = text.length();
        if (length < 19
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int position = 19;
        int nanos = 0;
        if (position < length && text.charAt(position) == '.') {
            int start = ++position;
            while (position < length && position - start < NANOS_PER_DIGIT.length && isDigit(text.charAt(position))) {
                position++;
            }
            if (position == start) {
                return null;
            }
            nanos = digits(text, start, position) * NANOS_PER_DIGIT[position - start - 1];
        }
        int offsetSeconds = 0;
        if (position < length) {
            char sign = text.charAt(position);
            if (sign == 'Z' && position + 1 == length) {
                offsetSeconds = 0;
            } else if ((sign == '+' || sign == '-') && position + 6 == length && text.charAt(position + 3) == ':') {
                int offsetHours = digits(text, position + 1, position + 3);
                int offsetMinutes = digits(text, position + 4, position + 6);
                offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
                if (offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59 || offsetSeconds > MAX_OFFSET_SECONDS) {
                    return null;
                }
                offsetSeconds = sign == '-' ? -offsetSeconds : offsetSeconds;
            } else {
                return null;
            }
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400
                + hour * 3600L
                + minute * 60L
                + second
                - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The number written by the ASCII digits {@code text[from, to)}, or -1 if one is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
