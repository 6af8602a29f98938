package io.streamanalytics.simulator.replay;

import io.streamanalytics.schemas.validate.EventValidator;
import io.streamanalytics.schemas.validate.Validation;
import io.streamanalytics.simulator.send.Pacer;
import io.streamanalytics.simulator.send.RecordSink;
import io.streamanalytics.simulator.send.SimulatorMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a JSON-lines file of events (any of the six types, mixed) with its original timing scaled by the speed
 * factor, or as fast as possible at speed 0: the way to bring your own data. Each line goes to its type's
 * topic exactly as written (extra fields included), keyed as the contract says, with its event time as the
 * record timestamp. Invalid lines are reported with their number and reason and not sent.
 */
public final class ReplayRunner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplayRunner.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;
    private static final long INVALID_LINES_LOGGED = 20;

    private final Path file;
    private final double speed;
    private final RecordSink sink;
    private final SimulatorMetrics metrics;
    private final EventValidator validator = new EventValidator(Clock.systemUTC());

    private Pacer pacer;
    private long sent;
    private long invalid;
    private long total;
    private long lastProgressNanos = System.nanoTime();

    public ReplayRunner(Path file, double speed, RecordSink sink, SimulatorMetrics metrics) {
        this.file = file;
        this.speed = speed;
        this.sink = sink;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            total = EventFile.countLines(file);
            metrics.replayStarted(total);
            log.info(
                    "Replaying {} events from {} at {}",
                    total,
                    file,
                    speed == 0 ? "full speed" : speed + "x original timing");
            EventFile.read(file, Optional.empty(), validator, this::replay);
            log.info("Replay finished: {} of {} lines sent, {} invalid", sent, total, invalid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replay " + file, e);
        } catch (InterruptedException e) {
            log.info("Replay stopped after {} of {} lines", sent + invalid, total);
            Thread.currentThread().interrupt();
        }
    }

    private void replay(EventFile.Line line) throws InterruptedException {
        if (line.validation() instanceof Validation.Valid valid) {
            if (pacer == null) {
                pacer = new Pacer(valid.event().eventTime(), speed);
            }
            if (!pacer.awaitDue(valid.event().eventTime())) {
                throw new InterruptedException();
            }
            sink.send(
                    line.topic(),
                    line.topic().key(valid.event()),
                    line.raw().getBytes(StandardCharsets.UTF_8),
                    valid.event().eventTime().toEpochMilli());
            sent++;
            metrics.replayLineDone(true);
        } else if (line.validation() instanceof Validation.Invalid bad) {
            invalid++;
            metrics.replayLineDone(false);
            if (invalid <= INVALID_LINES_LOGGED) {
                log.warn("{} line {} skipped: {}", file.getFileName(), line.number(), bad.reason());
            }
        }
        if (System.nanoTime() - lastProgressNanos > PROGRESS_EVERY_NANOS) {
            lastProgressNanos = System.nanoTime();
            log.info(
                    "Replay: {} of {} lines ({}%), {} sent, {} invalid",
                    sent + invalid,
                    total,
                    String.format("%.1f", 100.0 * (sent + invalid) / Math.max(1, total)),
                    sent,
                    invalid);
        }
    }
}
