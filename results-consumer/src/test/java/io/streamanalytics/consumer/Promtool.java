package io.streamanalytics.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code promtool} (Debian's prometheus package; CI installs it). */
final class Promtool {

    static final Path BINARY = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    /**
     * Runs {@code promtool check metrics} on an exposition.
     *
     * @return what promtool printed: its problems and warnings, empty when it has none
     */
    static String checkMetrics(String exposition) throws IOException, InterruptedException {
        assertThat(BINARY).as("promtool (apt-get install -y prometheus)").exists();
        Process process = new ProcessBuilder(BINARY.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool exit code; output: %s", output).isZero();
        return output.strip();
    }
}
