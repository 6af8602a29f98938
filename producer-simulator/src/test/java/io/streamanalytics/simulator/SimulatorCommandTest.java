package io.streamanalytics.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.common.ExitCode;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.config.StreamConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorCommandTest {

    private static SimulatorConfig parse(Map<String, String> env, String... args) {
        CommandLine commandLine = SimulatorCommand.commandLine(env);
        commandLine.parseArgs(args);
        return ((SimulatorCommand) commandLine.getCommand()).toConfig();
    }

    @Test
    void shouldReadEveryOptionFromItsEnvironmentVariableAndLetTheCommandLineWin() {
        SimulatorConfig config = parse(
                Map.of(
                        "SCOTSMEN_RATE",
                        "7.5",
                        "BAGPIPE_ENABLED",
                        "false",
                        "SEED",
                        "99",
                        "LATE_BY",
                        "2m",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "kafka:9092",
                        "KAFKA_LINGER_MS",
                        "20"),
                "--seed",
                "100");

        StreamConfig scotsmen = config.streams().get(4);
        assertThat(scotsmen.topic()).isEqualTo(Topics.SCOTSMEN);
        assertThat(scotsmen.ratePerSecond()).isEqualTo(7.5);
        assertThat(config.streams().get(5).enabled()).isFalse();
        assertThat(config.seed()).isEqualTo(100);
        assertThat(config.disorder().lateBy()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.kafka())
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("linger.ms", "20");
    }

    @Test
    void shouldUseTheDocumentedDefaults() {
        SimulatorConfig config = parse(Map.of());

        assertThat(config.streams())
                .extracting(StreamConfig::ratePerSecond)
                .containsExactly(20.0, 10.0, 20.0, 10.0, 5.0, 1.0);
        assertThat(config.kafka()).containsExactly(Map.entry("bootstrap.servers", "localhost:9092"));
        assertThat(config.metricsPort()).isEqualTo(9401);
        assertThat(config.speed()).isEqualTo(1.0);
        assertThat(config.malformedFraction()).isZero();
    }

    @Test
    void shouldListEveryOptionWithItsDefaultInHelp() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = SimulatorCommand.commandLine(Map.of());
        commandLine.setOut(new PrintWriter(out));

        assertThat(commandLine.execute("--help")).isZero();
        String help = out.toString();
        for (CommandLine.Model.OptionSpec option : commandLine.getCommandSpec().options()) {
            assertThat(help).contains(option.longestName());
        }
        assertThat(help)
                .contains("--scotsmen-rate=<events/s>")
                .contains("scotsmen events per second of event time. Default: 5.")
                .contains("SCOTSMEN_RATE")
                .contains("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldRejectAbsurdSettingsWithAClearMessageAndTheConfigurationExitCode() {
        CommandLine commandLine = SimulatorCommand.commandLine(Map.of("SCOTSMEN_RATE", "-3"));
        int[] exit = {-1};

        String log = logged(() -> exit[0] = commandLine.execute("--metrics-port", "0"));

        assertThat(exit[0]).isEqualTo(ExitCode.CONFIGURATION.code());
        assertThat(log)
                .contains("producer-simulator not started: "
                        + "scotsmen: rate must be a positive number of events per second, got -3.0");
    }

    @Test
    void shouldExitWithTheConfigurationExitCodeForAnOptionItCannotParse() {
        CommandLine commandLine = SimulatorCommand.commandLine(Map.of());
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));

        assertThat(commandLine.execute("--speed", "fast")).isEqualTo(ExitCode.CONFIGURATION.code());
        assertThat(err.toString()).contains("--speed").contains("fast");
    }

    /** The messages logged while {@code action} runs, one a line. */
    private static String logged(Runnable action) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        StringWriter messages = new StringWriter();
        WriterAppender appender = WriterAppender.newBuilder()
                .setName("captured")
                .setTarget(messages)
                .setLayout(PatternLayout.newBuilder().withPattern("%m%n").build())
                .build();
        appender.start();
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.addAppender(appender, null, null);
        context.updateLoggers();
        try {
            action.run();
        } finally {
            root.removeAppender(appender.getName());
            context.updateLoggers();
            appender.stop();
        }
        return messages.toString();
    }
}
