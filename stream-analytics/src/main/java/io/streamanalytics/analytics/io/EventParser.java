package io.streamanalytics.analytics.io;

import static org.apache.spark.sql.functions.col;

import io.streamanalytics.analytics.pipelines.InputColumns;
import io.streamanalytics.schemas.validate.EventValidator;
import io.streamanalytics.schemas.validate.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one parse step of every Kafka input: each record is checked against the published contract by
 * common-schemas' {@link EventValidator} (JSON, required fields, types, ranges, district names, plausible event
 * time), so the pipelines accept exactly what a producer validating against the JSON Schemas would send. Valid
 * records become typed columns; the others become dead letters carrying the reason.
 */
public final class EventParser {

    /** The columns of a Kafka source this step reads. */
    public static final List<String> KAFKA_COLUMNS = List.of("topic", "partition", "offset", "value");

    private static final List<StructField> ORIGIN_FIELDS = List.of(
            DataTypes.createStructField("source_topic", DataTypes.StringType, false),
            DataTypes.createStructField("partition", DataTypes.IntegerType, false),
            DataTypes.createStructField("offset", DataTypes.LongType, false),
            DataTypes.createStructField("raw", DataTypes.StringType, true),
            DataTypes.createStructField("error", DataTypes.StringType, true));

    private EventParser() {
    }

    /** Splits Kafka records ({@link #KAFKA_COLUMNS}) of one topic into valid events and dead letters. */
    public static ParsedInput parse(Dataset<Row> kafkaRecords, InputColumns input) {
        Dataset<Row> parsed = kafkaRecords
                .select(columns(KAFKA_COLUMNS))
                .mapPartitions(new ParsePartition(input), Encoders.row(parsedSchema(input)));
                return new ParsedInput(
                parsed.where(col("error").isNull()).select(columns(Arrays.asList(input.schema().fieldNames()))),
                parsed.where(col("error").isNotNull()).select(columns(ORIGIN_FIELDS.stream().map(StructField::name).toList())));
    }

    private static Column[] columns(List<String> names) {
        return names.stream().map(name -> col(name)).toArray(Column[]::new);
    }

    static StructType parsedSchema(InputColumns input) {
        List<StructField> fields = new ArrayList<>(ORIGIN_FIELDS);
        fields.addAll(Arrays.asList(input.schema().fields()));
        return DataTypes.createStructType(fields);
    }

    /** Runs on executors; the validator is built once per JVM (loading six JSON Schemas is not free). */
    private static final class ParsePartition implements MapPartitionsFunction<Row, Row> {

        private static final long serialVersionUID = 1L;

        private final InputColumns input;

        ParsePartition(InputColumns input) {
            this.input = input;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> records) {
            EventValidator validator = ValidatorHolder.VALIDATOR;
            int eventFields = input.schema().size();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return records.hasNext();
                }

                @Override
                public Row next() {
                    Row record = records.next();
                    Object[] row = new Object[ORIGIN_FIELDS.size() + eventFields];
                    row[0] = record.getString(0);
                    row[1] = record.getInt(1);
                    row[2] = record.getLong(2);
                    byte[] value = record.isNullAt(3) ? null : record.getAs(3);
                    String raw = value == null ? null : new String(value, StandardCharsets.UTF_8);
                    Validation validation = raw == null
                            ? new Validation.Invalid("record has no value")
                            : validator.validate(input.topic(), raw);
                    if (validation instanceof Validation.Valid valid) {
                        System.arraycopy(input.valuesOf(valid.event()), 0, row, ORIGIN_FIELDS.size(), eventFields);
                    } else {
                        row[3] = raw;
                        row[4] = ((Validation.Invalid) validation).reason();
                    }
                    return RowFactory.create(row);
                }
            };
        }
    }

    private static final class ValidatorHolder {
        static final EventValidator VALIDATOR = new EventValidator(Clock.systemUTC());
    }
}
