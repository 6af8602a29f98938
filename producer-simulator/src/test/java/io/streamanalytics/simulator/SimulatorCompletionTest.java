package io.streamanalytics.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.send.RecordSink;
import io.streamanalytics.simulator.send.SimulatorMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a run whose event streams are all finite ends, and what its weather files do meanwhile. */
class SimulatorCompletionTest {

    /** Only scotsmen: 20 events at 10 per second of event time, sent in real time, so the run lasts about 2 s. */
    private static final List<String> FINITE_SCOTSMEN = List.of(
            "--seed",
            "7",
            "--start-time",
            "2024-12-03T10:00:00Z",
            "--speed",
            "1",
            "--scotsmen-rate",
            "10",
            "--scotsmen-count",
            "20",
            "--clickstream-enabled",
            "false",
            "--random-values-enabled",
            "false",
            "--twitter-enabled",
            "false",
            "--voters-enabled",
            "false",
            "--bagpipe-enabled",
            "false",
            "--metrics-port",
            "0");

    @TempDir
    Path weatherDir;

    @Test
    void shouldEndAFiniteRunWhenItsStreamsAreDoneThoughWeatherHasNoFileCount() throws Exception {
        // A weather file an hour apart: without the end of the streams ending it, the writer would wait that hour.
        CountingSink sink = new CountingSink();
        Simulator simulator = Simulator.start(config("--weather-file-interval", "1h"), sink, new SimulatorMetrics());

        assertTimeoutPreemptively(Duration.ofSeconds(20), simulator::awaitCompletion);

        assertThat(sink.sentByTopic()).containsExactly(Map.entry("scotsmen", 20L));
        // The first file is written at once (its readings are days in the past); the hour to the next one never passes.
        assertThat(weatherFiles()).containsExactly("weather-20241130T1000Z.csv");
    }

    @Test
    void shouldWriteEveryWeatherFileOfAFileCountBeforeTheRunEnds() throws Exception {
        CountingSink sink = new CountingSink();
        Simulator simulator = Simulator.start(
                config("--weather-file-interval", "1s", "--weather-count", "4"), sink, new SimulatorMetrics());

        assertTimeoutPreemptively(Duration.ofSeconds(20), simulator::awaitCompletion);

        assertThat(sink.sentByTopic()).containsExactly(Map.entry("scotsmen", 20L));
        assertThat(weatherFiles())
                .containsExactly(
                        "weather-20241130T1000Z.csv",
                        "weather-20241130T1100Z.csv",
                        "weather-20241130T1200Z.csv",
                        "weather-20241130T1300Z.csv");
    }

    private SimulatorConfig config(String... weatherOptions) {
        var commandLine = SimulatorCommand.commandLine(Map.of());
        commandLine.parseArgs(Stream.concat(
                        FINITE_SCOTSMEN.stream(),
                        Stream.concat(Stream.of("--weather-dir", weatherDir.toString()), Stream.of(weatherOptions)))
                .toArray(String[]::new));
        return ((SimulatorCommand) commandLine.getCommand()).toConfig();
    }

    private List<String> weatherFiles() throws Exception {
        try (Stream<Path> files = Files.list(weatherDir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** Records acknowledged at once, counted per topic. */
    private static final class CountingSink implements RecordSink {
        private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();

        @Override
        public void send(EventType topic, String key, byte[] value, long timestampMs) {
            sent.computeIfAbsent(topic.topicName(), t -> new AtomicLong()).incrementAndGet();
        }

        Map<String, Long> sentByTopic() {
            Map<String, Long> counts = new java.util.TreeMap<>();
            sent.forEach((topic, count) -> counts.put(topic, count.get()));
            return counts;
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
