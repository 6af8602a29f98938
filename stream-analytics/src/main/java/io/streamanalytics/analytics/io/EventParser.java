package io.streamanalytics.analytics.io;

import static org.apache.spark.sql.functions.col;

import io.streamanalytics.analytics.pipelines.InputColumns;
import io.streamanalytics.schemas.topics.DeadLetter;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.validate.EventValidator;
import io.streamanalytics.schemas.validate.Validation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
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
 * The one parse step of every Kafka input: each record's bytes are checked against the published contract by
 * common-schemas' {@link EventValidator} (size, UTF-8, one JSON object, required fields, types, ranges, string
 * lengths, district names, plausible event time), so the pipelines accept exactly what a producer validating
 * against the JSON Schemas would send. Valid records become typed columns; the others go to a
 * {@link DeadLetterSink} from the same task, so every record is read and parsed once. No record can fail the
 * task: whatever a record makes go wrong makes it a dead letter, never a retry of the same offsets.
 */
public final class EventParser {

    /** The columns of a Kafka source this step reads. */
    public static final List<String> KAFKA_COLUMNS = List.of("topic", "partition", "offset", "value");
    /** Set (to the reason) on the rows of rejected records, which carry no event columns. */
    static final String ERROR = "error";

    private EventParser() {}

    /** Parses Kafka records ({@link #KAFKA_COLUMNS}) of one topic, sending the rejected ones to {@code deadLetters}. */
    public static ParsedInput parse(
            Dataset<Row> kafkaRecords, InputColumns input, EventValidator.Limits limits, DeadLetterSink deadLetters) {
        Dataset<Row> parsed = kafkaRecords
                .select(KAFKA_COLUMNS.stream().map(name -> col(name)).toArray(Column[]::new))
                .mapPartitions(new ParsePartition(input, limits, deadLetters), Encoders.row(parsedSchema(input)));
        return new ParsedInput(parsed, Arrays.asList(input.schema().fieldNames()));
    }

    static StructType parsedSchema(InputColumns input) {
        List<StructField> fields =
                new ArrayList<>(List.of(DataTypes.createStructField(ERROR, DataTypes.StringType, true)));
        fields.addAll(Arrays.asList(input.schema().fields()));
        return DataTypes.createStructType(fields);
    }

    /** Runs on executors; a validator is built once per JVM and limits (loading six JSON Schemas is not free). */
    private static final class ParsePartition implements MapPartitionsFunction<Row, Row> {

        private static final long serialVersionUID = 1L;

        private final InputColumns input;
        private final EventValidator.Limits limits;
        private final DeadLetterSink deadLetters;

        ParsePartition(InputColumns input, EventValidator.Limits limits, DeadLetterSink deadLetters) {
            this.input = input;
            this.limits = limits;
            this.deadLetters = deadLetters;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> records) {
            EventValidator validator =
                    VALIDATORS.computeIfAbsent(limits, l -> new EventValidator(Clock.systemUTC(), l));
            int eventFields = input.schema().size();
            return new Iterator<>() {
                private boolean flushed;

                @Override
                public boolean hasNext() {
                    if (records.hasNext()) {
                        return true;
                    }
                    // The partition is done: its dead letters must be stored before the task can succeed.
                    if (!flushed) {
                        deadLetters.flush();
                        flushed = true;
                    }
                    return false;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Row record = records.next();
                    Object[] row = new Object[1 + eventFields];
                    byte[] value = record.isNullAt(3) ? null : record.getAs(3);
                    Validation validation = validate(validator, input.topic(), value);
                    if (validation instanceof Validation.Valid valid) {
                        System.arraycopy(input.valuesOf(valid.event()), 0, row, 1, eventFields);
                    } else {
                        String reason = ((Validation.Invalid) validation).reason();
                        row[0] = reason;
                        deadLetters.send(DeadLetter.of(
                                record.getString(0),
                                record.getInt(1),
                                record.getLong(2),
                                value,
                                reason,
                                Instant.now()));
                    }
                    return RowFactory.create(row);
                }
            };
        }
    }

    private static final Map<EventValidator.Limits, EventValidator> VALIDATORS = new ConcurrentHashMap<>();

    /** The validator never throws by contract; should a bug make it, the record is still only a dead letter. */
    private static Validation validate(EventValidator validator, EventType topic, byte[] value) {
        try {
            return validator.validate(topic, value);
        } catch (RuntimeException e) {
            return new Validation.Invalid("cannot be validated: " + e);
        }
    }
}
