package io.streamanalytics.analytics.pipelines;

import io.streamanalytics.schemas.topics.EventType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where a pipeline gets its data: injected, so the same query runs on Kafka in production and on
 * {@code MemoryStream}s in tests.
 */
public interface PipelineInputs {

    /** The valid events of a topic, with the typed columns of {@link InputColumns} for that topic. */
    Dataset<Row> events(EventType topic);

    /** The static population table: {@code district} string, {@code pop} long. */
    Dataset<Row> population();

    /** The weather readings read from files: {@code timestamp}, {@code min_temperature}, ... */
    Dataset<Row> weatherReadings();
}
