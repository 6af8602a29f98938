package io.streamanalytics.analytics.io;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import io.streamanalytics.schemas.results.PipelineResult;
import io.streamanalytics.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Shapes result rows into Kafka sink records ({@code topic}, {@code key}, {@code value}).
 */
public final class KafkaRecords {

    /** Whole seconds are enough for window bounds; the session time zone is UTC (see SparkSessions). */
    private static final String ISO_SECONDS = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private static final String ISO_MILLIS = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";
    /** A null group value (e.g. gender in the age breakdown) stays in the JSON as null: a stable shape. */
    private static final Map<String, String> KEEP_NULL_FIELDS = Map.of("ignoreNullFields", "false");

    private KafkaRecords() {}

    /**
     * The output contract: key {@code <pipeline>|<window_start>|<group values>} (null groups as empty text), value
     * a flat JSON object. {@code emitted_at} is the micro-batch time, which Spark keeps in the checkpoint, so a
     * batch replayed after a crash writes identical records.
     */
    public static Dataset<Row> results(PipelineResult spec, Dataset<Row> results) {
        Column windowStart = date_format(col("window.start"), ISO_SECONDS);
        List<Column> keyParts = new ArrayList<>(List.of(lit(spec.name()), windowStart));
        List<Column> fields = new ArrayList<>(List.of(
                lit(spec.name()).as(PipelineResult.PIPELINE),
                windowStart.as(PipelineResult.WINDOW_START),
                date_format(col("window.end"), ISO_SECONDS).as(PipelineResult.WINDOW_END)));
        for (String group : spec.groupFields()) {
            keyParts.add(coalesce(col(group).cast(DataTypes.StringType), lit("")));
            fields.add(col(group));
        }
        spec.metricFields().forEach(metric -> fields.add(col(metric)));
        fields.add(date_format(current_timestamp(), ISO_MILLIS).as(PipelineResult.EMITTED_AT));
        return results.select(
                lit(Topics.results(spec.name())).as("topic"),
                concat_ws(PipelineResult.KEY_SEPARATOR, keyParts.toArray(Column[]::new))
                        .as("key"),
                to_json(struct(fields.toArray(Column[]::new)), KEEP_NULL_FIELDS).as("value"));
    }
}
