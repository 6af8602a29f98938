package io.streamanalytics.analytics.pipelines;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;

/** A {@code MemoryStream} of typed rows: the test stand-in for a parsed input topic or the weather files. */
public final class MemoryInput {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final MemoryStream<Row> stream;

    private MemoryInput(SparkSession spark, StructType schema) {
        stream = new MemoryStream<>(IDS.incrementAndGet(), spark.sqlContext(), Option.empty(), Encoders.row(schema));
    }

    public static MemoryInput of(SparkSession spark, StructType schema) {
        return new MemoryInput(spark, schema);
    }

    public static MemoryInput of(SparkSession spark, InputColumns columns) {
        return new MemoryInput(spark, columns.schema());
    }

    public Dataset<Row> toDF() {
        return stream.toDF();
    }

    /** Adds rows as one unit of input (they land in the same micro-batch unless the query is already running). */
    public void add(Object[]... rows) {
        stream.addData(JavaConverters.asScalaBuffer(
                Arrays.stream(rows).map(RowFactory::create).toList()));
    }

    public static Timestamp ts(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }
}
