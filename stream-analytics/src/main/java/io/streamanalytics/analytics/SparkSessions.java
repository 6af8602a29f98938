package io.streamanalytics.analytics;

import io.streamanalytics.analytics.io.JavaPermissionsLocalFileSystem;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the one SparkSession of the service (or of a test JVM) with the settings every pipeline relies on. */
public final class SparkSessions {

    public static final String LOCAL_MASTER = "local[*]";
    static final String CODEGEN_CACHE_ENTRIES = "spark.sql.codegen.cache.maxEntries";
    static final int CODEGEN_CACHE_DEFAULT = 1000;
    static final String LOCAL_FILE_SYSTEM = "spark.hadoop.fs.file.impl";
    /**
     * Attempts per task in local mode. Spark's local master runs every task once (spark.task.maxFailures only
     * applies to clusters), so a dead-letter or result send that fails on a broker's brief absence would fail the
     * whole query; local[N,F] allows F attempts, as a cluster does by default.
     */
    static final int LOCAL_TASK_ATTEMPTS = 4;

    private static final Pattern LOCAL_WITHOUT_RETRIES = Pattern.compile("local(?:\\[(\\d+|\\*)])?");

    private SparkSessions() {}

    /**
     * @param master the master to force; empty keeps what spark-submit set and falls back to {@value #LOCAL_MASTER}
     *     for a plain {@code java -jar}
     */
    public static SparkSession create(String appName, Optional<String> master, int shufflePartitions) {
        SparkConf conf = new SparkConf().setAppName(appName);
        master.ifPresentOrElse(conf::setMaster, () -> conf.setIfMissing("spark.master", LOCAL_MASTER));
        conf.setMaster(withTaskRetries(conf.get("spark.master")));
        // Eight queries generate more distinct classes per round of micro-batches than Spark's default cache
        // holds; they would evict each other and every batch would compile (and the JIT re-optimise) its code
        // again. A JVM-wide static setting.
        conf.setIfMissing(CODEGEN_CACHE_ENTRIES, String.valueOf(CODEGEN_CACHE_DEFAULT));
        // Local checkpoint and state files without a chmod process each (JavaPermissionsLocalFileSystem).
        conf.setIfMissing(LOCAL_FILE_SYSTEM, JavaPermissionsLocalFileSystem.class.getName());
        // Containers often run under a uid without a passwd entry, where Hadoop's own login lookup fails. Only in
        // local mode: on a cluster the login (possibly Kerberos) is the cluster's business.
        if (conf.get("spark.master").startsWith("local") && System.getenv("HADOOP_USER_NAME") == null) {
            UserGroupInformation.setLoginUser(
                    UserGroupInformation.createRemoteUser(Optional.ofNullable(System.getProperty("user.name"))
                            .filter(u -> !u.isBlank() && !u.equals("?"))
                            .orElse("spark")));
        }
        return SparkSession.builder()
                .config(conf)
                // Window bounds and ISO strings in results are UTC whatever the host's zone.
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", shufflePartitions)
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.streaming.stopGracefullyOnShutdown", "true")
                .getOrCreate();
    }

    /** {@code local}, {@code local[N]} and {@code local[*]} gain {@value #LOCAL_TASK_ATTEMPTS} attempts per task. */
    static String withTaskRetries(String master) {
        Matcher local = LOCAL_WITHOUT_RETRIES.matcher(master);
        if (!local.matches()) {
            return master;
        }
        String threads = local.group(1) == null ? "1" : local.group(1);
        return "local[" + threads + "," + LOCAL_TASK_ATTEMPTS + "]";
    }
}
