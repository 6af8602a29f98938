package io.streamanalytics.analytics.pipelines;

import io.streamanalytics.schemas.results.PipelineResult;
import io.streamanalytics.schemas.topics.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;

/**
 * One pipeline of the catalogue.
 *
 * @param result the output contract (name, group and metric fields) from common-schemas
 * @param version bumped whenever the query's state layout or semantics change, so an old checkpoint is never
 *     silently reused: the checkpoint directory is {@code <CHECKPOINT_DIR>/<name>/v<version>}
 * @param defaults the event-time parameters used unless the configuration overrides them
 * @param trigger how often its query runs a micro-batch unless the configuration overrides it: as often as its
 *     results can change meaningfully, since every micro-batch costs fixed work (planning, state and checkpoint
 *     commits) that the other queries wait for on a small machine
 * @param topics the Kafka topics it reads (none for the file-based weather pipeline)
 * @param sessionConf Spark SQL settings this pipeline's query needs in its own session
 * @param outputMode update wherever Spark allows it, so an open window's running value is visible
 * @param query builds the result rows: a {@code window} struct, the group fields and the metric fields
 */
public record Pipeline(
        PipelineResult result,
        int version,
        EventTimeParams defaults,
        Duration trigger,
        List<EventType> topics,
        Map<String, String> sessionConf,
        OutputMode outputMode,
        Query query) {

    @FunctionalInterface
    public interface Query {
        Dataset<Row> build(PipelineInputs inputs, EventTimeParams params);
    }

    public Pipeline {
        topics = List.copyOf(topics);
        sessionConf = Map.copyOf(sessionConf);
    }

    public String name() {
        return result.name();
    }

    public boolean readsWeatherFiles() {
        return topics.isEmpty();
    }
}
