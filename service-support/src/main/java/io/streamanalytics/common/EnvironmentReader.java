package io.streamanalytics.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a service's settings from its environment. A blank variable counts as unset. Every invalid value is
 * collected instead of thrown at once, so that {@link #requireValid()} names all of them in one start-up error.
 */
public final class EnvironmentReader {

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    /** @param env read on demand, not copied: a test can hand in a map that records which names are read */
    public EnvironmentReader(Map<String, String> env) {
        this.env = Objects.requireNonNull(env);
    }

    /** The trimmed value, if set and not blank. */
    public Optional<String> optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    /** An integer within {@code [min, max]}; the fallback (and a problem) otherwise. */
    public long integer(String name, long fallback, long min, long max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.get());
            if (parsed < min || parsed > max) {
                problem(name + " must be between " + min + " and " + max + ", got " + parsed);
                return fallback;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problem(name + " must be an integer, got '" + value.get() + "'");
            return fallback;
        }
    }

    public int integer(String name, int fallback, int min, int max) {
        return (int) integer(name, fallback, (long) min, (long) max);
    }

    /** A duration in any spelling {@link Durations#parse} accepts; the fallback (and a problem) otherwise. */
    public Duration duration(String name, Duration fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Durations.parse(value.get());
        } catch (IllegalArgumentException e) {
            problem(name + ": " + e.getMessage());
            return fallback;
        }
    }

    /** One of an enum's constants, named in any case; the fallback (and a problem naming the choices) otherwise. */
    public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.get())) {
                return constant;
            }
        }
        problem(name + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + value.get() + "'");
        return fallback;
    }

    /** Records a problem found by the caller's own checks. */
    public void problem(String message) {
        problems.add(message);
    }

    /** @throws IllegalArgumentException naming every problem found so far, one per line */
    public void requireValid() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }
}
