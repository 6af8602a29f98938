package io.streamanalytics.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One environment variable of a service, declared once: its name, how its text is parsed (and bounded), its
 * default, its documentation, whether it is secret, and any further checks. A {@link Settings} of them reads an
 * environment, logs it and documents it. A blank variable counts as unset; values are trimmed.
 *
 * <p>A name with a placeholder, such as {@code <PIPELINE>_WINDOW}, declares a family: it is documented once, and
 * {@link #member} gives the setting of one member ({@code VOTER_STATS_WINDOW}) to read with
 * {@link Settings.Reader#read}.
 *
 * <p>Immutable: every method returns a changed copy.
 *
 * @param <T> the parsed value's type
 */
public final class Setting<T> {

    /** Reads one setting from the environment: null if unset, or an {@link IllegalArgumentException} naming it. */
    @FunctionalInterface
    private interface Source<T> {
        T read(String name, Map<String, String> env);
    }

    private record Check<T>(Predicate<? super T> valid, BiFunction<String, ? super T, String> problem) {}

    /** Every {@code KAFKA_*} variable as a client property, over the service's own defaults. */
    private record KafkaClientSource(Map<String, String> serviceDefaults) implements Source<Map<String, String>> {
        @Override
        public Map<String, String> read(String name, Map<String, String> env) {
            Map<String, String> props = new TreeMap<>(serviceDefaults);
            props.putAll(KafkaClientProperties.fromEnvironment(env));
            return Collections.unmodifiableMap(props);
        }
    }

    private final String name;
    private final Source<T> source;
    private final Function<Settings.Values, T> defaultValue;
    private final String defaultShown;
    private final Function<? super T, ?> shown;
    private final String documentation;
    private final boolean secret;
    private final String logKey;
    private final List<Check<T>> checks;

    private Setting(
            String name,
            Source<T> source,
            Function<Settings.Values, T> defaultValue,
            String defaultShown,
            Function<? super T, ?> shown,
            String documentation,
            boolean secret,
            String logKey,
            List<Check<T>> checks) {
        this.name = Objects.requireNonNull(name);
        this.source = source;
        this.defaultValue = defaultValue;
        this.defaultShown = defaultShown;
        this.shown = shown;
        this.documentation = documentation;
        this.secret = secret;
        this.logKey = logKey;
        this.checks = List.copyOf(checks);
    }

    private static <T> Setting<T> of(
            String name, Source<T> source, T defaultValue, String defaultShown, Function<? super T, ?> shown) {
        return new Setting<>(
                name, source, values -> defaultValue, defaultShown, shown, "", false, camelCase(name), List.of());
    }

    /** Text as given (trimmed); a null default means unset. */
    public static Setting<String> string(String name, String defaultValue) {
        return of(name, text((n, text) -> text), defaultValue, shown(defaultValue), String::valueOf);
    }

    /** An integer within {@code [min, max]}. */
    public static Setting<Integer> integer(String name, int defaultValue, int min, int max) {
        return of(
                name,
                text((n, text) -> (int) parseLong(n, text, min, max)),
                defaultValue,
                shown(defaultValue),
                String::valueOf);
    }

    /** An integer within {@code [min, max]}, of up to 64 bits. */
    public static Setting<Long> longInteger(String name, long defaultValue, long min, long max) {
        return of(
                name,
                text((n, text) -> parseLong(n, text, min, max)),
                defaultValue,
                shown(defaultValue),
                String::valueOf);
    }

    /** A duration in any spelling {@link Durations#parse} accepts; a null default means unset. */
    public static Setting<Duration> duration(String name, Duration defaultValue) {
        return of(
                name,
                text((n, text) -> {
                    try {
                        return Durations.parse(text);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(n + ": " + e.getMessage());
                    }
                }),
                defaultValue,
                defaultValue == null ? null : shown(Durations.format(defaultValue)),
                Durations::format);
    }

    /** One of an enum's constants, named in any case; documented in lower case. */
    public static <E extends Enum<E>> Setting<E> choice(String name, Class<E> type, E defaultValue) {
        return of(
                name,
                text((n, text) -> {
                    for (E constant : type.getEnumConstants()) {
                        if (constant.name().equalsIgnoreCase(text)) {
                            return constant;
                        }
                    }
                    throw new IllegalArgumentException(n + " must be one of "
                            + Arrays.stream(type.getEnumConstants())
                                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                                    .toList()
                            + ", got '" + text + "'");
                }),
                defaultValue,
                shown(defaultValue.name().toLowerCase(Locale.ROOT)),
                Enum::name);
    }

    /**
     * The Kafka client properties, as {@link KafkaClientProperties} takes them from {@code KAFKA_*} variables, over
     * the service's own defaults; one setting for all of them, logged with their secrets redacted.
     */
    public static Setting<Map<String, String>> kafkaClient(Map<String, String> serviceDefaults) {
        KafkaClientSource source = new KafkaClientSource(Map.copyOf(serviceDefaults));
        Map<String, String> defaults = source.read("KAFKA_<NAME>", Map.of());
        String defaultShown = defaults.entrySet().stream()
                .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                .collect(Collectors.joining(", "));
        return new Setting<>(
                "KAFKA_<NAME>",
                source,
                values -> defaults,
                defaultShown,
                KafkaClientProperties::redacted,
                "",
                false,
                "kafka",
                List.of());
    }

    /** What this setting means, for the documentation's table (Markdown). */
    public Setting<T> doc(String text) {
        return new Setting<>(name, source, defaultValue, defaultShown, shown, text, secret, logKey, checks);
    }

    /** Never logged: shown as {@code [redacted]} when set. */
    public Setting<T> secret() {
        return new Setting<>(name, source, defaultValue, defaultShown, shown, documentation, true, logKey, checks);
    }

    /**
     * A further rule for a value that is set. {@code problem} gets the setting's name and the value and says what
     * is wrong with it; the default is used instead (the whole reading fails anyway).
     */
    public Setting<T> check(Predicate<? super T> valid, BiFunction<String, ? super T, String> problem) {
        List<Check<T>> more = new ArrayList<>(checks);
        more.add(new Check<>(valid, problem));
        return new Setting<>(name, source, defaultValue, defaultShown, shown, documentation, secret, logKey, more);
    }

    /** A default of its own, e.g. for one member of a family. */
    public Setting<T> defaultValue(T value) {
        return new Setting<>(name, source, values -> value, defaultShown, shown, documentation, secret, logKey, checks);
    }

    /**
     * A default that depends on settings declared before this one.
     *
     * @param shown the default as the documentation gives it (Markdown)
     */
    public Setting<T> defaultValue(Function<Settings.Values, T> computed, String shown) {
        return new Setting<>(name, source, computed, shown, this.shown, documentation, secret, logKey, checks);
    }

    /** The documentation's default column (Markdown), when the value alone does not say it. */
    public Setting<T> defaultShown(String markdown) {
        return new Setting<>(name, source, defaultValue, markdown, shown, documentation, secret, logKey, checks);
    }

    /** How the start-up line shows a value, when {@code toString} would show too much. */
    public Setting<T> shownAs(Function<? super T, ?> show) {
        return new Setting<>(name, source, defaultValue, defaultShown, show, documentation, secret, logKey, checks);
    }

    /** The key of the start-up line; the name in lower camel case ({@code HTTP_PORT}: {@code httpPort}) if not given. */
    public Setting<T> logAs(String key) {
        return new Setting<>(name, source, defaultValue, defaultShown, shown, documentation, secret, key, checks);
    }

    /** The setting of one member of a family: the placeholder ({@code <PIPELINE>}) replaced by {@code member}. */
    public Setting<T> member(String member) {
        if (!isFamily()) {
            throw new IllegalStateException(name + " is not a family");
        }
        String memberName = name.replaceFirst("<[^>]*>", member);
        return new Setting<>(
                memberName,
                source,
                defaultValue,
                defaultShown,
                shown,
                documentation,
                secret,
                camelCase(memberName),
                checks);
    }

    public String name() {
        return name;
    }

    /** Whether the name has a placeholder: documented once, read per member. */
    boolean isFamily() {
        return name.contains("<") && !(source instanceof KafkaClientSource);
    }

    String documentation() {
        return documentation;
    }

    String logKey() {
        return logKey;
    }

    /** The default column: the default in code quotes, {@code unset} or {@code empty}, or as given. */
    String defaultMarkdown() {
        return defaultShown != null ? defaultShown : "unset";
    }

    /** The value, or the default (and a problem) when what is set is invalid. */
    T read(Map<String, String> env, Settings.Values earlier, List<String> problems) {
        T fallback = defaultValue.apply(earlier);
        T value;
        try {
            value = source.read(name, env);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return fallback;
        }
        if (value == null) {
            return fallback;
        }
        for (Check<T> check : checks) {
            if (!check.valid().test(value)) {
                problems.add(check.problem().apply(name, value));
                return fallback;
            }
        }
        return value;
    }

    /** The value as the start-up line shows it. */
    Object show(T value) {
        if (value == null) {
            return "unset";
        }
        if (secret) {
            return value.toString().isEmpty() ? "" : "[redacted]";
        }
        return shown.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }

    /** A setting read from the text of one variable: unset when missing or blank, otherwise trimmed. */
    private static <T> Source<T> text(BiFunction<String, String, T> parse) {
        return (n, env) -> {
            String value = env.get(n);
            return value == null || value.isBlank() ? null : parse.apply(n, value.trim());
        };
    }

    private static long parseLong(String name, String text, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + text + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    private static String shown(Object defaultValue) {
        if (defaultValue == null) {
            return null;
        }
        String text = defaultValue.toString();
        return text.isEmpty() ? "empty" : "`" + text + "`";
    }

    static String camelCase(String name) {
        String[] words = name.replaceAll("[<>]", "").toLowerCase(Locale.ROOT).split("_");
        StringBuilder key = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            if (!words[i].isEmpty()) {
                key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
        }
        return key.toString();
    }
}
