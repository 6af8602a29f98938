package io.streamanalytics.consumer.ingest;

/** Where a record was read: topic, partition and offset. */
public record SourcePosition(String topic, int partition, long offset) {
}
