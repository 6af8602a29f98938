package io.streamanalytics.consumer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamanalytics.schemas.reference.Districts;
import io.streamanalytics.schemas.results.PipelineResult;
import io.streamanalytics.schemas.results.PipelineResults;
import io.streamanalytics.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer's own meters, with label values from closed sets only: catalogued pipelines and their topics, the
 * input topics, the districts of the reference table. Anything else a record names is counted under
 * {@value #OTHER} (or, for the district gauges, not kept), so hostile records cannot grow the registry.
 *
 * <p>The consumer's own meters, named after Prometheus conventions (the Prometheus registry adds {@code _total},
 * {@code _seconds} and the like), each with a description so {@code promtool check metrics} has nothing to say.
 */
public final class ConsumerMetrics {

    static final String PREFIX = "results_consumer.";
    /** Business gauges are kept for result fields with this prefix in pipelines grouped by district. */
    static final String TOTAL_PREFIX = "total_";

    static final String DISTRICT = "district";
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Timer endToEndDelay;
    private final Timer upsertTime;
    private final Map<String, Counter> materialisedCounters = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Meter> lagGauges = new ConcurrentHashMap<>();
    private final Map<TopicPartition, AtomicLong> lags = new ConcurrentHashMap<>();
    private final Map<List<String>, LatestValue> districtTotals = new ConcurrentHashMap<>();

    public ConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.endToEndDelay = Timer.builder(PREFIX + "end_to_end_delay")
                .description("Time from a result's emitted_at to its materialisation in the database")
                .serviceLevelObjectives(
                        seconds(0.1),
                        seconds(0.25),
                        seconds(0.5),
                        seconds(1),
                        seconds(2.5),
                        seconds(5),
                        seconds(10),
                        seconds(30),
                        seconds(60),
                        seconds(300))
                .register(registry);
        this.upsertTime = Timer.builder(PREFIX + "db_upsert")
                .description("Time to upsert one polled batch of results and its offsets in one database transaction")
                .serviceLevelObjectives(
                        seconds(0.001),
                        seconds(0.005),
                        seconds(0.01),
                        seconds(0.025),
                        seconds(0.05),
                        seconds(0.1),
                        seconds(0.25),
                        seconds(0.5),
                        seconds(1),
                        seconds(5))
                .register(registry);
    }

    public Timer upsertTimer() {
        return upsertTime;
    }

    /**
     * Counts and times a result that is now in the database, and keeps the district gauges current. Told field by
     * field (the ingestion has the result), so the meters depend on nothing else of the consumer.
     *
     * @param groups    the result's group field name to value (null where unset)
     * @param metrics   the result's numeric fields
     * @param emittedAt when the analytics emitted it, or null if the result does not say
     */
    public void materialised(
            String pipeline,
            Instant windowStart,
            Map<String, String> groups,
            Map<String, Double> metrics,
            Instant emittedAt,
            Instant now) {
        materialisedCounters
                .computeIfAbsent(
                        pipelineLabel(pipeline),
                        label -> Counter.builder(PREFIX + "materialised")
                                .description(
                                        "Results upserted into the database, per catalogued pipeline (others as \"other\")")
                                .tag("pipeline", label)
                                .register(registry))
                .increment();
        if (emittedAt != null) {
            Duration delay = Duration.between(emittedAt, now);
            // A producer clock ahead of ours must not make the histogram lie about being fast: count it as 0.
            endToEndDelay.record(delay.isNegative() ? Duration.ZERO : delay);
        }
        String district = groups.get(DISTRICT);
        Optional<PipelineResult> contract = PipelineResults.byName(pipeline);
        if (district != null && Districts.NAMES.contains(district) && contract.isPresent()) {
            metrics.forEach((metric, value) -> {
                if (metric.startsWith(TOTAL_PREFIX)
                        && contract.get().metricFields().contains(metric)) {
                    districtTotal(pipeline, district, metric).offer(windowStart, value);
                }
            });
        }
    }

    public void malformed(String topic) {
        Counter.builder(PREFIX + "malformed_results")
                .description("Records on results topics that broke the result contract and were skipped")
                .tag(
                        "topic",
                        topic.startsWith(Topics.RESULTS_PREFIX)
                                        && PipelineResults.byName(topic.substring(Topics.RESULTS_PREFIX.length()))
                                                .isPresent()
                                ? topic
                                : OTHER)
                .register(registry)
                .increment();
    }

    public void deadLetter(String sourceTopic) {
        Counter.builder(PREFIX + "dead_letters")
                .description("Records seen on the dead-letters topic, by the input topic they came from")
                .tag("source_topic", Topics.byName(sourceTopic).isPresent() ? sourceTopic : OTHER)
                .register(registry)
                .increment();
    }

    /** Starts reporting the lag of newly assigned partitions. */
    public void partitionsAssigned(Iterable<TopicPartition> partitions) {
        partitions.forEach(tp -> lagGauges.computeIfAbsent(tp, p -> {
            AtomicLong lag = lags.computeIfAbsent(p, x -> new AtomicLong());
            return Gauge.builder(PREFIX + "lag", lag, AtomicLong::get)
                    .description("Records on a partition not yet materialised (log end offset minus position)")
                    .baseUnit("records")
                    .tag("topic", p.topic())
                    .tag("partition", Integer.toString(p.partition()))
                    .register(registry);
        }));
    }

    /** Stops reporting partitions this instance no longer reads. */
    public void partitionsRevoked(Iterable<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            Meter gauge = lagGauges.remove(tp);
            if (gauge != null) {
                registry.remove(gauge);
            }
            lags.remove(tp);
        });
    }

    public void lag(TopicPartition partition, long records) {
        AtomicLong lag = lags.get(partition);
        if (lag != null) {
            lag.set(records);
        }
    }

    public void readiness(BooleanSupplier ready) {
        Gauge.builder(PREFIX + "ready", () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 once the consumer has caught up with the results topics as they were at start")
                .register(registry);
    }

    private LatestValue districtTotal(String pipeline, String district, String metric) {
        return districtTotals.computeIfAbsent(List.of(pipeline, district, metric), key -> {
            LatestValue latest = new LatestValue();
            Gauge.builder(PREFIX + "district_latest", latest, LatestValue::value)
                    .description("A total of the latest window per district (e.g. total_new_scotsmen), per pipeline")
                    .tag("pipeline", pipeline)
                    .tag("district", district)
                    .tag("metric", metric)
                    .register(registry);
            return latest;
        });
    }

    private static String pipelineLabel(String pipeline) {
        return PipelineResults.byName(pipeline).isPresent() ? pipeline : OTHER;
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (seconds * 1_000_000_000L));
    }

    /** The value of the most recent window seen; an update for an older window does not replace it. */
    static final class LatestValue {
        private final AtomicReference<Map.Entry<Instant, Double>> latest = new AtomicReference<>();

        void offer(Instant windowStart, double value) {
            latest.updateAndGet(current -> current == null || !windowStart.isBefore(current.getKey())
                    ? Map.entry(windowStart, value)
                    : current);
        }

        double value() {
            Map.Entry<Instant, Double> current = latest.get();
            return current == null ? Double.NaN : current.getValue();
        }
    }
}
