package io.streamanalytics.common;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A service's settings, each declared once as a {@link Setting}, in the order they are read, logged and
 * documented. The declaration drives the three:
 *
 * <ul>
 *   <li>{@link #parse} reads them from the environment and names every invalid one in one error;</li>
 *   <li>{@link #redacted} is the start-up line, secrets shown as {@code [redacted]};</li>
 *   <li>{@link #markdownTable} is the table of the service's documentation.</li>
 * </ul>
 */
public final class Settings {

    private final List<Setting<?>> settings;

    private Settings(List<Setting<?>> settings) {
        this.settings = List.copyOf(settings);
    }

    public static Settings of(Setting<?>... settings) {
        return new Settings(List.of(settings));
    }

    /**
     * Reads every setting.
     *
     * @throws IllegalArgumentException naming every invalid variable, one per line, in the order declared
     */
    public Values parse(Map<String, String> env) {
        return read(env).requireValid();
    }

    /**
     * Reads every setting (but the families), collecting the problems, so that the caller can read family
     * members and check settings against each other before {@link Reader#requireValid}.
     *
     * @param env read by name, not copied: a test can hand in a map that records which names are read
     */
    public Reader read(Map<String, String> env) {
        Reader reader = new Reader(Objects.requireNonNull(env));
        for (Setting<?> setting : settings) {
            if (!setting.isFamily()) {
                reader.readDeclared(setting);
            }
        }
        return reader;
    }

    /** The values for a log line, in the order declared: secrets {@code [redacted]}, unset ones {@code unset}. */
    public Map<String, Object> redacted(Values values) {
        Map<String, Object> shown = new LinkedHashMap<>();
        for (Setting<?> setting : settings) {
            if (!setting.isFamily()) {
                shown.put(setting.logKey(), show(setting, values));
            }
        }
        return shown;
    }

    /** The documentation's table: variable, default, meaning; one row per setting or family, in the order declared. */
    public String markdownTable() {
        StringBuilder table = new StringBuilder("| variable | default | meaning |\n|---|---|---|\n");
        for (Setting<?> setting : settings) {
            table.append("| `")
                    .append(setting.name())
                    .append("` | ")
                    .append(cell(setting.defaultMarkdown()))
                    .append(" | ")
                    .append(cell(setting.documentation()))
                    .append(" |\n");
        }
        return table.toString();
    }

    private static <T> Object show(Setting<T> setting, Values values) {
        return setting.show(values.get(setting));
    }

    private static String cell(String markdown) {
        return markdown.replace("|", "\\|").replace("\n", " ");
    }

    /** A reading in progress: the declared settings read, problems collected, more to read or check. */
    public static final class Reader {

        private final Map<String, String> env;
        private final Values values = new Values();
        private final List<String> problems = new ArrayList<>();

        private Reader(Map<String, String> env) {
            this.env = env;
        }

        private <T> void readDeclared(Setting<T> setting) {
            values.put(setting, setting.read(env, values, problems));
        }

        /** The value of a declared setting (its default, if what was set is invalid). */
        public <T> T get(Setting<T> setting) {
            return values.get(setting);
        }

        /** Reads a setting not declared as such, typically a {@link Setting#member} of a declared family. */
        public <T> T read(Setting<T> setting) {
            return setting.read(env, values, problems);
        }

        /** Records a problem found by the caller's own checks. */
        public void problem(String message) {
            problems.add(message);
        }

        /** @throws IllegalArgumentException naming every problem found so far, one per line */
        public Values requireValid() {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid configuration:\n  " + String.join("\n  ", problems));
            }
            return values;
        }
    }

    /** The values read, by setting. */
    public static final class Values {

        private final Map<Setting<?>, Object> values = new IdentityHashMap<>();

        private Values() {}

        private <T> void put(Setting<T> setting, T value) {
            values.put(setting, value);
        }

        /**
         * @return the value, or null for a setting without a default that is unset
         * @throws IllegalStateException for a setting not read (yet): not declared, or declared after the caller
         */
        @SuppressWarnings("unchecked")
        public <T> T get(Setting<T> setting) {
            if (!values.containsKey(setting)) {
                throw new IllegalStateException(setting.name() + " is not read (yet)");
            }
            return (T) values.get(setting);
        }

        public <T> Optional<T> optional(Setting<T> setting) {
            return Optional.ofNullable(get(setting));
        }
    }
}
