package io.streamanalytics.analytics;

import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** One SparkSession per test JVM: starting Spark costs seconds, and two contexts cannot share a JVM anyway. */
public final class SparkTestSession {

    public static final int SHUFFLE_PARTITIONS = 2;
    private static SparkSession session;

    private SparkTestSession() {}

    public static synchronized SparkSession get() {
        if (session == null) {
            System.setProperty("spark.ui.enabled", "false");
            session = SparkSessions.create("stream-analytics-tests", Optional.of("local[2]"), SHUFFLE_PARTITIONS);
        }
        return session;
    }
}
