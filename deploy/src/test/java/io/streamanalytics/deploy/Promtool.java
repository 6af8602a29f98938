package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code promtool} (package prometheus, installed by .ci/run): skipped where it is missing, except in CI. */
final class Promtool {

    static final Path BINARY = Path.of("/usr/bin/promtool");

    /** What promtool printed and how it exited. */
    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** Runs promtool with these arguments in {@code directory} (where it resolves relative file names). */
    static Result run(Path directory, String... arguments) throws IOException, InterruptedException {
        if (!"true".equals(System.getenv("CI"))) {
            assumeThat(BINARY).as("Debian package prometheus (installed by .ci/run)").exists();
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        return new Result(process.exitValue(), output);
    }
}
