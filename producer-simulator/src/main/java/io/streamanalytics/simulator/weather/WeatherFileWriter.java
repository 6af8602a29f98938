package io.streamanalytics.simulator.weather;

import io.streamanalytics.schemas.events.WeatherReading;
import io.streamanalytics.simulator.config.WeatherConfig;
import io.streamanalytics.simulator.send.SimulatorMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops weather CSV files into a directory for the file-source stream. Each file is written under a hidden
 * temporary name and renamed when complete, so a reader never sees half a file (Spark's file source ignores
 * names starting with a dot). File names carry the first reading's time, so a rerun with the same seed and start
 * writes the same files instead of new ones. Without a file count it runs until {@link #finish} (or an interrupt).
 */
public final class WeatherFileWriter implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WeatherFileWriter.class);
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private final WeatherConfig config;
    private final WeatherGenerator generator;
    private final SimulatorMetrics metrics;
    private final Clock clock;
    private volatile boolean finished;
    private volatile Thread runner;

    public WeatherFileWriter(WeatherConfig config, long seed, Instant start, SimulatorMetrics metrics, Clock clock) {
        this.config = config;
        this.generator = new WeatherGenerator(seed, start.minus(config.backfill()), config.readingInterval());
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        try {
            Files.createDirectories(config.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create weather directory " + config.directory(), e);
        }
        long written = 0;
        while (!finished
                && !Thread.currentThread().isInterrupted()
                && (config.fileCount() == 0 || written < config.fileCount())) {
            // Readings never run ahead of the wall clock: once history is filled, weather follows real time.
            if (!generator.peek(config.readingsPerFile() - 1).isAfter(clock.instant())) {
                writeFile();
                written++;
            }
            LockSupport.parkNanos(config.fileInterval().toNanos());
        }
    }

    /**
     * Ends the run after the file being written, if any, without interrupting its write: a run whose event streams
     * are all done stops its weather too, which on its own would go on for ever.
     */
    public void finish() {
        finished = true;
        Thread thread = runner;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void writeFile() {
        Instant first = generator.peek(0);
        StringBuilder csv = new StringBuilder(WeatherReading.CSV_HEADER).append('\n');
        for (int i = 0; i < config.readingsPerFile(); i++) {
            csv.append(generator.next().toCsvLine()).append('\n');
        }
        String name = "weather-" + NAME_TIME.format(first) + ".csv";
        Path target = config.directory().resolve(name);
        Path temporary = config.directory().resolve("." + name + ".tmp");
        try {
            Files.writeString(temporary, csv, StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write weather file " + target, e);
        }
        metrics.weatherFileWritten();
        log.debug("Wrote {}", target);
    }
}
