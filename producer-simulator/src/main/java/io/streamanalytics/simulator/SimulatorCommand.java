package io.streamanalytics.simulator;

import io.streamanalytics.common.Durations;
import io.streamanalytics.common.ExitCode;
import io.streamanalytics.common.KafkaClientProperties;
import io.streamanalytics.common.ServiceRunner;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.simulator.config.EnvironmentDefaults;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.config.StreamConfig;
import io.streamanalytics.simulator.config.WeatherConfig;
import io.streamanalytics.simulator.generate.Disorder;
import io.streamanalytics.simulator.send.KafkaRecordSink;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The command line and environment of the simulator; {@link #toConfig()} is the one place they are read. */
@Command(
        name = "producer-simulator",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        abbreviateSynopsis = true,
        subcommands = ValidateCommand.class,
        description = {
            "Sends realistic clickstream, random-value, tweet, voter, scotsmen and bagpipe events to Kafka and "
                    + "writes weather CSV files, or replays a JSON-lines file of your own events.",
            "Kafka: KAFKA_BOOTSTRAP_SERVERS (default " + KafkaClientProperties.DEFAULT_BOOTSTRAP_SERVERS
                    + "); any other KAFKA_<NAME> variable becomes the producer property <name> "
                    + "(KAFKA_SASL_MECHANISM -> sasl.mechanism)."
        },
        footer = {
            "",
            "Every option can also be set by the environment variable named after it: "
                    + "--scotsmen-rate is SCOTSMEN_RATE, --seed is SEED. The command line wins over the environment.",
            "Durations: 500ms, 10s, 5m, 1h, 2d or ISO-8601 (PT5M). Timestamps: ISO-8601 (2024-12-03T10:00:00Z)."
        })
public final class SimulatorCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;

    @Option(
            names = "--seed",
            description = "Random seed. With --start-time, every run sends byte-identical events "
                    + "(deterministic mode). Default: a fresh seed each run.")
    private Long seed;

    @Option(
            names = "--start-time",
            converter = TimestampConverter.class,
            description = "Event time of the first event. Default: now.")
    private Instant startTime;

    @Option(
            names = "--speed",
            defaultValue = "1",
            description = "1 sends in real time, 10 ten times faster "
                    + "than event time passes, 0 as fast as possible (also for replay). Default: ${DEFAULT-VALUE}.")
    private double speed;

    @Option(
            names = "--burst-every",
            defaultValue = "0",
            description = "A burst at the end of every such period; 0 for none. Default: ${DEFAULT-VALUE}.")
    private Duration burstEvery;

    @Option(
            names = "--burst-duration",
            defaultValue = "10s",
            description = "How long a burst lasts. Default: ${DEFAULT-VALUE}.")
    private Duration burstDuration;

    @Option(
            names = "--burst-factor",
            defaultValue = "5",
            description = "Rate multiplier during a burst. Default: ${DEFAULT-VALUE}.")
    private double burstFactor;

    @Option(
            names = "--idle-every",
            defaultValue = "0",
            description =
                    "An idle period (no events) at the end of every such period; 0 for none. Default: ${DEFAULT-VALUE}.")
    private Duration idleEvery;

    @Option(
            names = "--idle-duration",
            defaultValue = "10s",
            description = "How long an idle period lasts. Default: ${DEFAULT-VALUE}.")
    private Duration idleDuration;

    @Option(
            names = "--out-of-order-fraction",
            defaultValue = "0.05",
            description =
                    "Fraction of events whose event time is behind events sent before them. Default: ${DEFAULT-VALUE}.")
    private double outOfOrderFraction;

    @Option(
            names = "--out-of-order-max",
            defaultValue = "20s",
            description = "How far behind an out-of-order event can be. Default: ${DEFAULT-VALUE}.")
    private Duration outOfOrderMax;

    @Option(
            names = "--late-fraction",
            defaultValue = "0.01",
            description =
                    "Fraction of events late by more than --late-by (so watermarks drop them). Default: ${DEFAULT-VALUE}.")
    private double lateFraction;

    @Option(
            names = "--late-by",
            defaultValue = "5m",
            description = "A late event is between one and two times this behind. Default: ${DEFAULT-VALUE}.")
    private Duration lateBy;

    @Option(
            names = "--malformed-fraction",
            defaultValue = "0",
            description =
                    "Exact fraction of records sent broken (not JSON, missing field, wrong type, absurd timestamp, in turn), to test dead letters. Default: ${DEFAULT-VALUE}.")
    private double malformedFraction;

    @Option(
            names = "--district-skew",
            defaultValue = "1.0",
            description =
                    "Districts are drawn with weight population^skew: 0 uniform, 1 by population, >1 more skewed. Default: ${DEFAULT-VALUE}.")
    private double districtSkew;

    @Option(
            names = "--hashtag-skew",
            defaultValue = "1.1",
            description = "Zipf exponent of hashtag popularity. Default: ${DEFAULT-VALUE}.")
    private double hashtagSkew;

    @Option(
            names = "--partitions",
            defaultValue = "3",
            description = "Partitions of topics the simulator creates. Default: ${DEFAULT-VALUE}.")
    private int partitions;

    @Option(
            names = "--replication-factor",
            defaultValue = "1",
            description = "Replication factor of topics the simulator creates. Default: ${DEFAULT-VALUE}.")
    private short replicationFactor;

    @Option(
            names = "--weather-enabled",
            arity = "1",
            defaultValue = "true",
            description = "Write weather CSV files. Default: ${DEFAULT-VALUE}.")
    private boolean weatherEnabled;

    @Option(
            names = "--weather-dir",
            defaultValue = "./data/weather",
            description = "Directory of the weather CSV files. Default: ${DEFAULT-VALUE}.")
    private Path weatherDir;

    @Option(
            names = "--weather-file-interval",
            defaultValue = "5s",
            description = "Wall-clock time between two weather files. Default: ${DEFAULT-VALUE}.")
    private Duration weatherFileInterval;

    @Option(
            names = "--weather-readings-per-file",
            defaultValue = "6",
            description = "Readings in one weather file. Default: ${DEFAULT-VALUE}.")
    private int weatherReadingsPerFile;

    @Option(
            names = "--weather-reading-interval",
            defaultValue = "10m",
            description = "Event time between two readings. Default: ${DEFAULT-VALUE}.")
    private Duration weatherReadingInterval;

    @Option(
            names = "--weather-backfill",
            defaultValue = "3d",
            description = "Weather starts this long before the start time and catches up. Default: ${DEFAULT-VALUE}.")
    private Duration weatherBackfill;

    @Option(
            names = "--weather-count",
            defaultValue = "0",
            description = "Stop writing weather after this many files; 0 for no limit. Default: ${DEFAULT-VALUE}.")
    private long weatherCount;

    @Option(
            names = "--replay-file",
            description =
                    "Replay this JSON-lines file (one event of any type per line) instead of generating; --speed sets the pace.")
    private Path replayFile;

    @Option(
            names = "--output",
            defaultValue = "kafka",
            description = "kafka, or stdout to print record values as JSON lines. Default: ${DEFAULT-VALUE}.")
    private Output output;

    @Option(
            names = "--metrics-port",
            defaultValue = "9401",
            description = "Port of the Prometheus /metrics endpoint; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    private int metricsPort;

    /** Where records go. */
    public enum Output {
        kafka,
        stdout
    }

    public SimulatorCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The command line: annotated options plus, for each of the six event types, its enabled/rate/count/duration. */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine commandLine = new CommandLine(new SimulatorCommand(env));
        commandLine.registerConverter(Duration.class, Durations::parse);
        CommandSpec spec = commandLine.getCommandSpec();
        for (EventType topic : Topics.INPUTS) {
            String name = topic.topicName();
            spec.addOption(OptionSpec.builder("--" + name + "-enabled")
                    .arity("1")
                    .type(boolean.class)
                    .paramLabel("<true|false>")
                    .defaultValue("true")
                    .description("Send " + name + " events. Default: ${DEFAULT-VALUE}.")
                    .build());
            spec.addOption(OptionSpec.builder("--" + name + "-rate")
                    .type(double.class)
                    .paramLabel("<events/s>")
                    .defaultValue(defaultRate(topic))
                    .description(name + " events per second of event time. Default: ${DEFAULT-VALUE}.")
                    .build());
            spec.addOption(OptionSpec.builder("--" + name + "-count")
                    .type(long.class)
                    .paramLabel("<records>")
                    .defaultValue("0")
                    .description(
                            "Stop " + name + " after this many records; 0 for no limit. Default: ${DEFAULT-VALUE}.")
                    .build());
            spec.addOption(OptionSpec.builder("--" + name + "-duration")
                    .type(Duration.class)
                    .paramLabel("<duration>")
                    .defaultValue("0")
                    .description(
                            "Stop " + name + " after this much event time; 0 for no limit. Default: ${DEFAULT-VALUE}.")
                    .build());
        }
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(env));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // The last occurrence wins, so a script can append overrides to a base set of options.
        commandLine.setOverwrittenOptionsAllowed(true);
        return commandLine;
    }

    /**
     * Every option as the docs list it (docs/simulator.md, checked by a test): rendered from picocli's model of the
     * command, the one declaration that also parses and validates the options and prints {@code --help}.
     */
    public static String optionsTable() {
        StringBuilder table =
                new StringBuilder("| option | environment variable | default | meaning |\n|---|---|---|---|\n");
        for (OptionSpec option : commandLine(Map.of()).getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            // picocli gives the description with its default filled in; the table has a column for that.
            String meaning = String.join(" ", option.description());
            if (option.defaultValue() != null) {
                meaning = meaning.replace("Default: " + option.defaultValue() + ".", "");
            }
            meaning = meaning.strip().replace("|", "\\|");
            String fallback = option.defaultValue() == null ? "—" : "`" + option.defaultValue() + "`";
            table.append("| `")
                    .append(option.longestName())
                    .append("` | `")
                    .append(EnvironmentDefaults.variableFor(option))
                    .append("` | ")
                    .append(fallback)
                    .append(" | ")
                    .append(meaning)
                    .append(" |\n");
        }
        Map<String, String> kafkaDefaults = new TreeMap<>(KafkaRecordSink.TUNABLE_DEFAULTS);
        kafkaDefaults.put("bootstrap.servers", KafkaClientProperties.DEFAULT_BOOTSTRAP_SERVERS);
        return table.append("| — | `KAFKA_<NAME>` | ")
                .append(kafkaDefaults.entrySet().stream()
                        .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                        .collect(Collectors.joining(", ")))
                .append(" | Any producer property `<name>` (`KAFKA_SECURITY_PROTOCOL` is `security.protocol`); ")
                .append("secret ones are never logged; `acks=all` and idempotence always hold |\n")
                .toString();
    }

    /**
     * Runs the simulator; the exit status is an {@link ExitCode}. Settings it refuses are
     * {@link ExitCode#CONFIGURATION}, 2, as picocli's status for options it cannot parse.
     */
    @Override
    public Integer call() {
        return new ServiceRunner("producer-simulator")
                .run(this::toConfig, SimulatorConfig::describe, SimulatorApp::start)
                .code();
    }

    public SimulatorConfig toConfig() {
        List<StreamConfig> streams = new ArrayList<>();
        for (EventType topic : Topics.INPUTS) {
            String name = topic.topicName();
            streams.add(new StreamConfig(
                    topic,
                    option("--" + name + "-enabled"),
                    option("--" + name + "-rate"),
                    option("--" + name + "-count"),
                    option("--" + name + "-duration")));
        }
        Instant start = startTime != null ? startTime : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SimulatorConfig(
                KafkaClientProperties.fromEnvironment(env),
                streams,
                seed != null ? seed : ThreadLocalRandom.current().nextLong(),
                start,
                speed,
                new SimulatorConfig.Shape(burstEvery, burstDuration, burstFactor, idleEvery, idleDuration),
                new Disorder(outOfOrderFraction, outOfOrderMax, lateFraction, lateBy),
                malformedFraction,
                districtSkew,
                hashtagSkew,
                partitions,
                replicationFactor,
                new WeatherConfig(
                        weatherEnabled && replayFile == null,
                        weatherDir,
                        weatherFileInterval,
                        weatherReadingsPerFile,
                        weatherReadingInterval,
                        weatherBackfill,
                        weatherCount),
                replayFile,
                output == Output.stdout,
                metricsPort);
    }

    /**
     * Default events per second of each stream, as the command line would give it: bagpipe sales are deliberately
     * sparse. One case per event type, so a new type does not compile until it has its default.
     */
    private static String defaultRate(EventType topic) {
        return switch (topic) {
            case CLICKSTREAM, TWITTER -> "20";
            case RANDOM_VALUES, VOTERS -> "10";
            case SCOTSMEN -> "5";
            case BAGPIPE -> "1";
        };
    }

    private <T> T option(String name) {
        return spec.findOption(name).getValue();
    }

    /** Picocli converter for wire timestamps. */
    public static final class TimestampConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return Json.parseTimestamp(value.trim());
        }
    }
}
