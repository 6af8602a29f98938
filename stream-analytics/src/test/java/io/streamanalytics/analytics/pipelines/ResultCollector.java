package io.streamanalytics.analytics.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamanalytics.analytics.io.KafkaRecords;
import io.streamanalytics.schemas.results.PipelineResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Runs a pipeline's result rows through the real output formatting and keeps the last value per key, exactly
 * what a reader of the compacted result topic ends up with.
 */
public final class ResultCollector implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Written by Spark's batch thread, read by the test thread: keyed by query so collectors never mix. */
    private static final Map<String, Map<String, String>> LATEST_BY_QUERY = new ConcurrentHashMap<>();

    private final StreamingQuery query;
    private final String id;

    private ResultCollector(StreamingQuery query, String id) {
        this.query = query;
        this.id = id;
    }

    public static ResultCollector start(Pipeline pipeline, Dataset<Row> results) {
        PipelineResult spec = pipeline.result();
        String id = spec.name() + "-" + System.nanoTime();
        Map<String, String> latest = new ConcurrentHashMap<>();
        LATEST_BY_QUERY.put(id, latest);
        try {
            VoidFunction2<Dataset<Row>, Long> collect = (batch, batchId) -> {
                for (Row row : batch.collectAsList()) {
                    LATEST_BY_QUERY.get(id).put(row.getString(1), row.getString(2));
                }
            };
            StreamingQuery query = KafkaRecords.results(spec, results)
                    .writeStream()
                    .outputMode(pipeline.outputMode())
                    .option(
                            "checkpointLocation",
                            Files.createTempDirectory("checkpoint-" + spec.name())
                                    .toString())
                    .foreachBatch(collect)
                    .start();
            return new ResultCollector(query, id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Processes everything added so far; fails the test (instead of hanging) if the query died. */
    public ResultCollector process() {
        assertThat(query.exception().isDefined())
                .as("query failed: %s", query.exception())
                .isFalse();
        query.processAllAvailable();
        return this;
    }

    /** The final value per key, parsed. */
    public Map<String, JsonNode> latest() {
        Map<String, JsonNode> parsed = new TreeMap<>();
        LATEST_BY_QUERY.get(id).forEach((key, value) -> {
            try {
                parsed.put(key, MAPPER.readTree(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("result is not JSON: " + value, e);
            }
        });
        return parsed;
    }

    public JsonNode get(String key) {
        JsonNode value = latest().get(key);
        assertThat(value)
                .as("result for key %s among %s", key, latest().keySet())
                .isNotNull();
        return value;
    }

    @Override
    public void close() throws TimeoutException {
        query.stop();
        LATEST_BY_QUERY.remove(id);
    }
}
