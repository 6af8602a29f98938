package io.streamanalytics.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();

    private int validate(String type, List<String> lines) throws Exception {
        Path file = tmp.resolve("events.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        CommandLine commandLine = SimulatorCommand.commandLine(Map.of());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(out));
        return commandLine.execute("validate", type, file.toString());
    }

    @Test
    void shouldAcceptAFileOfValidEvents() throws Exception {
        int status = validate(
                "scotsmen",
                List.of(
                        "{\"district\":\"Lisboa\",\"new_scotsmen\":3,\"timestamp\":\"2024-12-03T10:12:47Z\"}",
                        "",
                        "{\"district\":\"Açores\",\"new_scotsmen\":1,\"timestamp\":\"2024-12-03T10:12:48+00:00\"}"));

        assertThat(status).isZero();
        assertThat(out.toString()).endsWith("events.jsonl: 2 events, 2 valid, 0 invalid" + System.lineSeparator());
    }

    @Test
    void shouldReportEachInvalidLineWithItsNumberAndReason() throws Exception {
        int status = validate(
                "clickstream",
                List.of(
                        "{\"Clicks\":1,\"Impressions\":5,\"ts\":\"2024-12-03T10:12:47Z\"}",
                        "{\"Clicks\":1,\"Impressions\":5",
                        "{\"Impressions\":5,\"ts\":\"2024-12-03T10:12:47Z\"}",
                        "{\"Clicks\":\"one\",\"Impressions\":5,\"ts\":\"2024-12-03T10:12:47Z\"}",
                        "{\"Clicks\":1,\"Impressions\":5,\"ts\":\"1970-01-01T00:00:00Z\"}",
                        "{\"Clicks\":9,\"Impressions\":5,\"ts\":\"2024-12-03T10:12:47Z\"}"));

        assertThat(status).isEqualTo(1);
        List<String> report = out.toString().lines().toList();
        assertThat(report).hasSize(6);
        assertThat(report.get(0)).startsWith("line 2: not JSON: ");
        assertThat(report.get(1)).startsWith("line 3: ").contains("Clicks").contains("required");
        assertThat(report.get(2)).isEqualTo("line 4: $.Clicks: string found, integer expected");
        assertThat(report.get(3)).isEqualTo("line 5: event time 1970-01-01T00:00:00Z is before 2000-01-01T00:00:00Z");
        assertThat(report.get(4)).isEqualTo("line 6: Clicks (9) exceed Impressions (5)");
        assertThat(report.get(5)).endsWith("events.jsonl: 6 events, 1 valid, 5 invalid");
    }

    @Test
    void shouldDetectTheTypeOfEachLineInAutoMode() throws Exception {
        int status = validate(
                "auto",
                List.of(
                        "{\"district\":\"Lisboa\",\"bagpipe_sales\":3,\"timestamp\":\"2024-12-03T10:12:47Z\"}",
                        "{\"gender\":\"female\",\"age\":17,\"party\":\"Green\",\"timestamp\":\"2024-12-03T10:12:47Z\"}",
                        "{\"hello\":\"world\"}"));

        assertThat(status).isEqualTo(1);
        List<String> report = out.toString().lines().toList();
        assertThat(report.get(0)).startsWith("line 2: ").contains("age").contains("18");
        assertThat(report.get(1)).startsWith("line 3: not an event of any of the six types");
    }

    @Test
    void shouldExitWithTwoForAnUnknownTypeOrMissingFile() throws Exception {
        assertThat(validate("tweets", List.of())).isEqualTo(2);
        assertThat(out.toString()).contains("unknown type 'tweets'");
        CommandLine commandLine = SimulatorCommand.commandLine(Map.of());
        commandLine.setErr(new PrintWriter(new StringWriter()));
        assertThat(commandLine.execute(
                        "validate", "voters", tmp.resolve("missing.jsonl").toString()))
                .isEqualTo(2);
    }
}
