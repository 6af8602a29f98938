package io.streamanalytics.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every pipeline running on its own: a query that fails is started again from its checkpoint after a
 * backoff (doubling per failure in a row, up to a maximum) while the other queries go on. Only a pipeline that
 * cannot run again - its checkpoint no longer matches its definition or its input - is given up; the service ends
 * when no pipeline is left. Restarts are counted in {@code analytics_query_restarts_total}; a pipeline waiting for
 * its restart shows {@code analytics_query_active} 0.
 */
final class PipelineSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineSupervisor.class);
    /** How often the loop looks at the restart schedule when no query ends. */
    private static final Duration TICK = Duration.ofMillis(200);

    private final PipelineQueries app;
    private final AnalyticsConfig config;
    private final Clock clock;
    private final Map<String, Instant> restartAt = new HashMap<>();
    private final Map<String, Integer> failuresInARow = new HashMap<>();
    private final Set<String> givenUp = new LinkedHashSet<>();
    private final Map<String, Counter> restarts = new HashMap<>();

    PipelineSupervisor(PipelineQueries app, AnalyticsConfig config, MeterRegistry registry, Clock clock) {
        this.app = app;
        this.config = config;
        this.clock = clock;
        // Registered up front, so that "no restart" reads 0 rather than no series at all.
        config.pipelines()
                .keySet()
                .forEach(p -> restarts.put(
                        p.name(),
                        Counter.builder("analytics_query_restarts_total")
                                .description("Times a failed pipeline's query was started again from its checkpoint")
                                .tags("pipeline", p.name())
                                .register(registry)));
    }

    /**
     * Supervises until {@code stopping} says so (returns true) or every pipeline has been given up (false). The
     * pipelines must have been started.
     */
    boolean run(BooleanSupplier stopping) throws InterruptedException {
        int pipelines = config.pipelines().size();
        while (!stopping.getAsBoolean()) {
            Optional<StreamingQuery> ended = app.pollTermination(TICK);
            if (stopping.getAsBoolean()) {
                return true;
            }
            ended.ifPresent(this::onTermination);
            restartDue();
            if (givenUp.size() == pipelines) {
                LOG.error("No pipeline is left running ({} given up); stream-analytics stops", givenUp);
                return false;
            }
        }
        return true;
    }

    private void onTermination(StreamingQuery query) {
        String pipeline = query.name();
        String checkpoint = app.checkpointOf(pipeline);
        Optional<StreamingQueryException> failure =
                query.exception().isDefined() ? Optional.of(query.exception().get()) : Optional.empty();
        if (failure.isPresent() && Failures.isKafkaDataLoss(failure.get())) {
            // Restarting would only meet the same missing offsets; the operator's fix is in the message.
            LOG.error("{}", Failures.explain(pipeline, checkpoint, config.startingOffsets(), failure.get()));
            givenUp.add(pipeline);
            return;
        }
        // A query that got through a batch since its last start was healthy: its next failure starts a new series.
        int inARow = query.recentProgress().length > 0 ? 1 : failuresInARow.getOrDefault(pipeline, 0) + 1;
        failuresInARow.put(pipeline, inARow);
        Duration backoff = backoff(inARow);
        String cause = failure.map(e -> Failures.explain(pipeline, checkpoint, config.startingOffsets(), e))
                .orElse("Pipeline " + pipeline + " stopped although nobody asked it to");
        if (failure.isEmpty()) {
            LOG.error("{}; restarting it from its checkpoint in {} s", cause, backoff.toMillis() / 1000.0);
        } else {
            LOG.error(
                    "{}; restarting it from its checkpoint in {} s (failure {} in a row)",
                    cause,
                    backoff.toMillis() / 1000.0,
                    inARow,
                    failure.get());
        }
        restartAt.put(pipeline, clock.instant().plus(backoff));
    }

    private void restartDue() {
        Instant now = clock.instant();
        for (String pipeline : Set.copyOf(restartAt.keySet())) {
            if (restartAt.get(pipeline).isAfter(now)) {
                continue;
            }
            restartAt.remove(pipeline);
            restarts.get(pipeline).increment();
            try {
                app.restart(pipeline);
            } catch (Checkpoints.IncompatibleCheckpointException e) {
                LOG.error("{}", e.getMessage());
                givenUp.add(pipeline);
            } catch (RuntimeException e) {
                int inARow = failuresInARow.merge(pipeline, 1, Integer::sum);
                Duration backoff = backoff(inARow);
                LOG.error(
                        "Pipeline {} could not be restarted ({}); trying again in {} s",
                        pipeline,
                        e.toString(),
                        backoff.toMillis() / 1000.0);
                restartAt.put(pipeline, now.plus(backoff));
            }
        }
    }

    /** The wait before restart number {@code inARow} of a series: the first backoff, doubled, capped. */
    Duration backoff(int inARow) {
        Duration wait = config.restartBackoff();
        for (int i = 1; i < inARow && wait.compareTo(config.restartBackoffMax()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(config.restartBackoffMax()) > 0 ? config.restartBackoffMax() : wait;
    }
}
