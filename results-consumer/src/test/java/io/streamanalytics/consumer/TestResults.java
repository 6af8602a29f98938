package io.streamanalytics.consumer;

import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.results.PipelineResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Result records in exactly the wire format the analytics emits, built by hand so tests know every value. */
public final class TestResults {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private TestResults() {}

    /** A result value: standard fields, then the given group and metric fields in order. */
    public static String value(
            String pipeline, Instant windowStart, Duration window, Map<String, ?> fields, Instant emittedAt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(PipelineResult.PIPELINE, pipeline);
        json.put(PipelineResult.WINDOW_START, windowStart.toString());
        json.put(PipelineResult.WINDOW_END, windowStart.plus(window).toString());
        json.putAll(fields);
        json.put(PipelineResult.EMITTED_AT, emittedAt.toString());
        return Json.toJson(json);
    }

    /**
     * A {@code scotsmen_per_district} result of one conversion of {@code total} new Scotsmen, as the analytics writes
     * it: 3-minute window, event count 1, the average equal to the total.
     */
    public static String scotsmen(Instant windowStart, String district, int total, Instant emittedAt) {
        return value(
                "scotsmen_per_district",
                windowStart,
                Duration.ofMinutes(3),
                fields(
                        "district",
                        district,
                        "event_count",
                        1,
                        "total_new_scotsmen",
                        total,
                        "average_new_scotsmen",
                        (double) total),
                emittedAt);
    }

    /** The record key of the contract: {@code <pipeline>|<window_start>|<group values joined by |>}. */
    public static String key(String pipeline, Instant windowStart, List<String> groupValues) {
        return new PipelineResult(pipeline, List.of(), List.of()).key(windowStart.toString(), groupValues);
    }

    public static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /**
     * Per group value of {@code pipeline}'s rows in the database {@code env} names: the update its row holds and
     * how many records were applied to it, e.g. {@code seq=39 applied=40}.
     */
    public static Map<String, String> rowStates(Map<String, String> env, String pipeline) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(
                        env.get("RESULTS_DB_URL"), env.getOrDefault("RESULTS_DB_USER", "sa"), "");
                PreparedStatement select = connection.prepareStatement(
                        "SELECT group_1, payload, apply_count FROM results WHERE pipeline = ?")) {
            select.setString(1, pipeline);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Matcher seq = SEQ.matcher(rs.getString(2));
                    rows.put(
                            rs.getString(1),
                            (seq.find() ? "seq=" + seq.group(1) : "no seq") + " applied=" + rs.getLong(3));
                }
            }
        }
        return rows;
    }
}
