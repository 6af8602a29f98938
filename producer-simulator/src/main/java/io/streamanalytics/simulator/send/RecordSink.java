package io.streamanalytics.simulator.send;

import io.streamanalytics.schemas.topics.EventType;

/** Where the simulator's records go: Kafka, or standard output for inspection and for making replay files. */
public interface RecordSink extends AutoCloseable {

    /** Sends asynchronously; delivery is counted when acknowledged. */
    void send(EventType topic, String key, byte[] value, long timestampMs);

    /** Blocks until every record sent so far is acknowledged or has failed. */
    void flush();

    @Override
    void close();
}
