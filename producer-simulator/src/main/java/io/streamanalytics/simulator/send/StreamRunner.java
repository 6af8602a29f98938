package io.streamanalytics.simulator.send;

import io.streamanalytics.simulator.config.StreamConfig;
import io.streamanalytics.simulator.generate.EventStream;
import io.streamanalytics.simulator.generate.SimRecord;
import java.time.Instant;

/** Sends one stream's records at their scheduled times until its count or duration is reached or it is interrupted. */
public final class StreamRunner implements Runnable {

    private final EventStream<?> stream;
    private final StreamConfig config;
    private final Pacer pacer;
    private final RecordSink sink;
    private final SimulatorMetrics metrics;
    private final Instant end;

    public StreamRunner(
            EventStream<?> stream,
            StreamConfig config,
            Instant start,
            Pacer pacer,
            RecordSink sink,
            SimulatorMetrics metrics) {
        this.stream = stream;
        this.config = config;
        this.pacer = pacer;
        this.sink = sink;
        this.metrics = metrics;
        this.end = config.duration().isZero() ? Instant.MAX : start.plus(config.duration());
    }

    @Override
    public void run() {
        for (long sent = 0; config.count() == 0 || sent < config.count(); sent++) {
            SimRecord record = stream.next();
            if (!record.nominalTime().isBefore(end) || !pacer.awaitDue(record.nominalTime())) {
                return;
            }
            sink.send(
                    record.topic(),
                    record.key(),
                    record.value(),
                    record.eventTime().toEpochMilli());
            if (record.malformed() != null) {
                metrics.malformedInjected(record.topic().topicName(), record.malformed());
            }
        }
    }
}
