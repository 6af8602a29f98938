package io.streamanalytics.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus' own checker, {@code promtool} (Debian package prometheus): a {@link RequiredProgram}. */
public final class Promtool {

    public static final Path BINARY = Path.of("/usr/bin/promtool");
    private static final String INSTALLED_BY = "apt-get install -y prometheus";

    /** What promtool printed and how it exited. */
    public record Result(int exitCode, String output) {}

    private Promtool() {}

    /** Runs promtool with these arguments in {@code directory} (where it resolves relative file names). */
    public static Result run(Path directory, String... arguments) throws IOException, InterruptedException {
        return runWithInput(directory, null, arguments);
    }

    /**
     * Runs {@code promtool check metrics} on an exposition and requires it to exit with 0.
     *
     * @return what promtool printed: its problems and warnings, empty when it has none
     */
    public static String checkMetrics(String exposition) throws IOException, InterruptedException {
        Result result = runWithInput(Path.of("."), exposition, "check", "metrics");
        assertThat(result.exitCode())
                .as("promtool exit code; output: %s", result.output())
                .isZero();
        return result.output().strip();
    }

    private static Result runWithInput(Path directory, String stdin, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(RequiredProgram.require(BINARY, INSTALLED_BY).toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        try (OutputStream input = process.getOutputStream()) {
            if (stdin != null) {
                input.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("promtool finished")
                .isTrue();
        return new Result(process.exitValue(), output);
    }
}
