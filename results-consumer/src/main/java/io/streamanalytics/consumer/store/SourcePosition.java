package io.streamanalytics.consumer.store;

/** Where a result was read: topic, partition and offset (stored with its row). */
public record SourcePosition(String topic, int partition, long offset) {}
