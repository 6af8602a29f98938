package io.streamanalytics.analytics.io;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One input topic after parsing.
 *
 * @param events the valid events, typed columns as in {@code InputColumns}
 * @param deadLetters the rejected records: {@code source_topic}, {@code partition}, {@code offset}, {@code raw},
 *     {@code error}
 */
public record ParsedInput(Dataset<Row> events, Dataset<Row> deadLetters) {
}
