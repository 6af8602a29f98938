package io.streamanalytics.deploy;

import io.streamanalytics.simulator.SimulatorCommand;
import io.streamanalytics.simulator.config.EnvironmentDefaults;
import io.streamanalytics.simulator.config.SimulatorConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;

/**
 * What each service's own configuration code makes of an environment: the variable names it reads and the port it
 * serves on. The simulator's comes from its picocli model (on the test classpath); stream-analytics' and the
 * results-consumer's from their config classes inside the shaded jars the Dockerfiles ship, loaded in an isolated
 * class loader and called with an environment that records every name looked up.
 */
final class ServiceConfigs {

    /** What a service's code reads from an environment. */
    record Reading(Set<String> namesRead, int port) {

        /** Whether the service would use a variable of this name: read by name, or a KAFKA_* client setting. */
        boolean uses(String name) {
            return namesRead.contains(name) || (name.startsWith("KAFKA_") && name.length() > "KAFKA_".length());
        }
    }

    static final Map<String, String> JARS = Map.of(
            "producer-simulator", "producer-simulator/target/producer-simulator.jar",
            "stream-analytics", "stream-analytics/target/stream-analytics.jar",
            "results-consumer", "results-consumer/target/results-consumer.jar");

    /**
     * Variables a container uses that are not the application's own settings: the JVM options of the image's
     * entrypoint and what Spark/Hadoop themselves read.
     */
    static final Map<String, Set<String>> RUNTIME_VARIABLES = Map.of(
            "producer-simulator", Set.of("JAVA_OPTS"),
            "stream-analytics", Set.of("JAVA_OPTS", "SPARK_LOCAL_IP", "HADOOP_USER_NAME"),
            "results-consumer", Set.of("JAVA_OPTS"));

    private static final Map<String, ClassLoader> LOADERS = new ConcurrentHashMap<>();

    private ServiceConfigs() {}

    static Path jar(String service) {
        return ComposeProject.ROOT.resolve(JARS.get(service));
    }

    /** Reads the environment as the service would; fails as the service would on an invalid value. */
    static Reading read(String service, Map<String, String> env) {
        return switch (service) {
            case "producer-simulator" -> simulator(env);
            case "stream-analytics" ->
                viaConfigClass(service, "io.streamanalytics.analytics.AnalyticsConfig", "metricsPort", env);
            case "results-consumer" ->
                viaConfigClass(service, "io.streamanalytics.consumer.ResultsConsumerConfig", "httpPort", env);
            default -> throw new IllegalArgumentException(service);
        };
    }

    private static Reading simulator(Map<String, String> env) {
        CommandLine commandLine = SimulatorCommand.commandLine(env);
        Set<String> names = new TreeSet<>();
        commandLine.getCommandSpec().options().forEach(o -> names.add(EnvironmentDefaults.variableFor(o)));
        commandLine.parseArgs();
        SimulatorConfig config = ((SimulatorCommand) commandLine.getCommand()).toConfig();
        return new Reading(names, config.metricsPort());
    }

    private static Reading viaConfigClass(
            String service, String className, String portAccessor, Map<String, String> env) {
        RecordingEnvironment recording = new RecordingEnvironment(env);
        try {
            Class<?> type = Class.forName(className, true, loader(service));
            Object config = type.getMethod("fromEnvironment", Map.class).invoke(null, recording);
            Method port = type.getMethod(portAccessor);
            return new Reading(new TreeSet<>(recording.asked), (Integer) port.invoke(config));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(
                    service + " rejects the environment " + env + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(service + ": cannot call " + className + " in " + jar(service), e);
        }
    }

    /** The shaded jar's classes, apart from this JVM's (only the JDK is shared). */
    private static ClassLoader loader(String service) {
        return LOADERS.computeIfAbsent(service, s -> {
            Path jar = jar(s);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                        jar + " is missing: run ./mvnw package (the reactor builds it before this module)");
            }
            try {
                return new URLClassLoader(s, new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** An environment that notes every variable name the code asks for. */
    private static final class RecordingEnvironment extends HashMap<String, String> {
        final Set<String> asked = ConcurrentHashMap.newKeySet();

        RecordingEnvironment(Map<String, String> env) {
            super(env);
        }

        @Override
        public String get(Object key) {
            asked.add(String.valueOf(key));
            return super.get(key);
        }

        @Override
        public String getOrDefault(Object key, String defaultValue) {
            asked.add(String.valueOf(key));
            return super.getOrDefault(key, defaultValue);
        }

        @Override
        public boolean containsKey(Object key) {
            asked.add(String.valueOf(key));
            return super.containsKey(key);
        }
    }
}
