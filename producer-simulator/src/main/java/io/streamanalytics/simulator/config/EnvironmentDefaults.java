package io.streamanalytics.simulator.config;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option can be set by the environment variable named after it ({@code --scotsmen-rate} is
 * {@code SCOTSMEN_RATE}); the command line wins over the environment, the environment over the built-in default.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

    private final Map<String, String> env;

    public EnvironmentDefaults(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static String variableFor(OptionSpec option) {
        return option.longestName()
                .replaceFirst("^-+", "")
                .toUpperCase(Locale.ROOT)
                .replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option) {
            String value = env.get(variableFor(option));
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return argSpec.defaultValue();
    }
}
