package io.streamanalytics.simulator.weather;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.events.WeatherReading;
import io.streamanalytics.simulator.config.WeatherConfig;
import io.streamanalytics.simulator.send.SimulatorMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeatherFileWriterTest {

    private static final Instant START = Instant.parse("2024-12-03T00:00:00Z");

    @TempDir
    Path dir;

    private List<Path> run(long files, Clock clock) throws Exception {
        WeatherConfig config = new WeatherConfig(
                true, dir, Duration.ofMillis(1), 6, Duration.ofMinutes(10), Duration.ofDays(1), files);
        Thread writer = new Thread(new WeatherFileWriter(config, 1, START, new SimulatorMetrics(), clock));
        writer.start();
        writer.join(Duration.ofSeconds(20).toMillis());
        assertThat(writer.isAlive()).isFalse();
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.sorted().toList();
        }
    }

    @Test
    void shouldWriteCompleteCsvFilesOfConsecutiveReadingsAndLeaveNoTemporaryFile() throws Exception {
        List<Path> files = run(3, Clock.fixed(START.plusSeconds(86_400), ZoneOffset.UTC));

        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "weather-20241202T0000Z.csv", "weather-20241202T0100Z.csv", "weather-20241202T0200Z.csv");
        List<String> lines = Files.readAllLines(files.get(1));
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).isEqualTo(WeatherReading.CSV_HEADER);
        for (int i = 1; i <= 6; i++) {
            String[] cells = lines.get(i).split(",");
            assertThat(cells[0])
                    .isEqualTo(Instant.parse("2024-12-02T01:00:00Z")
                            .plus(Duration.ofMinutes(10L * (i - 1)))
                            .toString());
            assertThat(Double.parseDouble(cells[1])).isLessThan(Double.parseDouble(cells[2]));
            assertThat(Double.parseDouble(cells[3])).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void shouldNotWriteReadingsAheadOfTheWallClock() throws Exception {
        // History starts a day before START; with the clock at START - 23 h only the first hour is in the past.
        Clock clock = Clock.fixed(START.minus(Duration.ofHours(23)), ZoneOffset.UTC);
        WeatherConfig config =
                new WeatherConfig(true, dir, Duration.ofMillis(1), 6, Duration.ofMinutes(10), Duration.ofDays(1), 0);
        Thread writer = new Thread(new WeatherFileWriter(config, 1, START, new SimulatorMetrics(), clock));
        writer.start();
        writer.join(300);
        writer.interrupt();
        writer.join(Duration.ofSeconds(10).toMillis());

        try (Stream<Path> paths = Files.list(dir)) {
            assertThat(paths.map(p -> p.getFileName().toString()).toList())
                    .containsExactly("weather-20241202T0000Z.csv");
        }
    }
}
