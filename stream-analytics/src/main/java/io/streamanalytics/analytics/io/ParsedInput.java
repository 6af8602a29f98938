package io.streamanalytics.analytics.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One input topic after parsing: a row per record, the event's typed columns (as in {@code InputColumns}) or,
 * for a rejected record, its reason in {@code error}.
 */
public record ParsedInput(Dataset<Row> parsed, List<String> eventColumns) {

    /** The valid events. */
    public Dataset<Row> events() {
        return parsed.where(col(EventParser.ERROR).isNull())
                .select(eventColumns.stream().map(name -> col(name)).toArray(Column[]::new));
    }

    /**
     * The valid events, with the number of rejected records of each micro-batch reported in the query's progress
     * as the observation {@code observation} (one field, {@code countField}).
     */
    public Dataset<Row> eventsCountingRejected(String observation, String countField) {
        Dataset<Row> observed = parsed.observe(
                observation,
                count(when(col(EventParser.ERROR).isNotNull(), lit(1))).as(countField));
        return new ParsedInput(observed, eventColumns).events();
    }
}
