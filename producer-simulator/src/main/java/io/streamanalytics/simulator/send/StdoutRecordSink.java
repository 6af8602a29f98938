package io.streamanalytics.simulator.send;

import io.streamanalytics.schemas.topics.EventType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes each record value as one line: the JSON-lines format that replay reads back, so
 * {@code --output stdout} records a session that {@code --replay-file} can send later.
 */
public final class StdoutRecordSink implements RecordSink {

    private final OutputStream out;
    private final SimulatorMetrics metrics;

    public StdoutRecordSink(OutputStream out, SimulatorMetrics metrics) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.metrics = metrics;
    }

    @Override
    public synchronized void send(EventType topic, String key, byte[] value, long timestampMs) {
        try {
            out.write(value);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output", e);
        }
        metrics.acknowledged(topic.topicName(), 0);
    }

    @Override
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output", e);
        }
    }

    @Override
    public void close() {
        flush();
    }
}
