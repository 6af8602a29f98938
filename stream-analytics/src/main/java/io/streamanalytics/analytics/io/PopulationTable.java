package io.streamanalytics.analytics.io;

import io.streamanalytics.schemas.reference.Districts;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The static dimension of the stream-static join: the census table shipped in common-schemas, built from the
 * classpath so the same jar works on a cluster without a shared file.
 */
public final class PopulationTable {

    public static final StructType SCHEMA =
            new StructType().add("district", DataTypes.StringType, false).add("pop", DataTypes.LongType, false);

    private PopulationTable() {}

    public static Dataset<Row> load(SparkSession session) {
        return session.createDataFrame(
                Districts.ALL.stream()
                        .map(d -> RowFactory.create(d.name(), d.population()))
                        .toList(),
                SCHEMA);
    }
}
