package io.streamanalytics.benchmarks.analytics;

import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.analytics.pipelines.Pipelines;
import io.streamanalytics.benchmarks.Stats;
import io.streamanalytics.schemas.results.PipelineResults;
import io.streamanalytics.schemas.topics.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The pipelines ({@code PIPELINES}, default all eight) as production wires them, fed live by the simulator at a fixed
 * total rate in its whole mix whichever pipelines run (event time = now, in order), in this JVM with the broker. The
 * warm-up is minutes long because for the first minutes after start the JIT compiler takes much of the machine, and the
 * figures are those of a service that has been running. Reports the lag (offsets not yet processed, per query and
 * summed) over time and its trend after the warm-up, i.e. whether each pipeline keeps up; each query's micro-batch
 * durations; and for every Kafka-fed update-mode pipeline the event-to-result latency p50/p99 of the events sent after
 * the warm-up, against its target of its trigger interval + 2 s (see {@link EventToResultLatency}; for
 * {@code impressions_per_minute} and {@code scotsmen_per_district} also to the result record itself).
 *
 * <p>Run: {@code java -Xmx4g -jar benchmarks/target/benchmarks.jar analytics-live [events/s] [seconds] [warm-up seconds]}
 */
public final class AnalyticsLiveBenchmark {

    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(2);
    /** Where a micro-batch's time goes, from Spark's progress report. */
    private static final List<String> PHASES =
            List.of("latestOffset", "queryPlanning", "addBatch", "walCommit", "commitOffsets");
    /** The freshness target: at most a pipeline's trigger interval plus this. */
    private static final Duration LATENCY_ALLOWANCE = Duration.ofSeconds(2);
    /** The pipelines whose result key follows from the input record alone. */
    private static final List<String> RESULT_KEYED_PIPELINES =
            List.of(PipelineResults.IMPRESSIONS_PER_MINUTE.name(), PipelineResults.SCOTSMEN_PER_DISTRICT.name());

    private AnalyticsLiveBenchmark() {}

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 5_000;
        Duration length = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 420);
        Duration warmUp = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 300);
        try (AnalyticsHarness harness = new AnalyticsHarness()) {
            EventMix mix = new EventMix(harness.bootstrapServers());
            mix.createTopics();
            AnalyticsHarness.Queries queries = harness.startPipelines(harness.pipelines());
            Set<String> topics = new HashSet<>();
            queries.topicsByQuery().values().forEach(topics::addAll);
            // Start-up (first, empty triggers) is not part of the measurement.
            harness.awaitStarted(queries, START_TIMEOUT);
            System.out.printf(
                    "Live mix at %,.0f events/s for %d s (warm-up %d s); analytics: %s; load %s%n%n",
                    rate,
                    length.toSeconds(),
                    warmUp.toSeconds(),
                    harness.describeSettings(),
                    AnalyticsHarness.loadAverage());

            Instant start = Instant.now();
            List<Sample> samples = new ArrayList<>();
            long sent;
            try (EventMix.Live live = mix.live(rate, harness.weatherDir())) {
                System.out.println("| t (s) | events sent | lag (offsets behind, all queries) | worst query | load |");
                System.out.println("|---|---|---|---|---|");
                while (Duration.between(start, Instant.now()).compareTo(length) < 0) {
                    Thread.sleep(SAMPLE_EVERY.toMillis());
                    double t = Duration.between(start, Instant.now()).toMillis() / 1000.0;
                    Map<String, Long> latest = harness.endOffsets(topics);
                    Map<String, Long> lags = new LinkedHashMap<>();
                    queries.topicsByQuery().forEach((query, own) -> {
                        if (!own.isEmpty()) {
                            lags.put(
                                    query.name(), lag(latest, harness.progress().processedOffsets(query.id()), own));
                        }
                    });
                    Sample sample = new Sample(t, lags);
                    samples.add(sample);
                    if (samples.size() % 3 == 0) {
                        Map.Entry<String, Long> worst = lags.entrySet().stream()
                                .max(Map.Entry.comparingByValue())
                                .orElseThrow();
                        System.out.printf(
                                "| %.0f | %,d | %,d | %s %,d | %s |%n",
                                t,
                                live.acknowledged(),
                                sample.total(),
                                worst.getKey(),
                                worst.getValue(),
                                AnalyticsHarness.loadAverage());
                    }
                }
                sent = live.acknowledged();
            }
            Duration sending = Duration.between(start, Instant.now());
            System.out.printf(
                    "%nSent %,d events in %.0f s (%,.0f events/s).%n%n",
                    sent, sending.toMillis() / 1000.0, sent * 1000.0 / sending.toMillis());
            reportTrend(samples, warmUp, inputRates(queries, mix.shares(), rate));

            try {
                harness.awaitCaughtUp(queries, harness.endOffsets(topics), CATCH_UP_TIMEOUT);
            } catch (IllegalStateException e) {
                System.out.println("Not caught up " + CATCH_UP_TIMEOUT.toSeconds() + " s after the sending stopped: "
                        + e.getMessage() + "; no latency figures.");
                queries.stop();
                reportBatches(harness, queries, start.plus(warmUp));
                return;
            }
            queries.stop();
            reportBatches(harness, queries, start.plus(warmUp));
            reportLatency(harness, queries, start.plus(warmUp));
        }
    }

    private static void reportLatency(AnalyticsHarness harness, AnalyticsHarness.Queries queries, Instant from) {
        System.out.println(
                "| pipeline | trigger (s) | target p99 (s) | events measured | p50 (ms) | p99 (ms) | max (ms) "
                        + "| without result | to the result record: p50 / p99 (ms) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (StreamingQuery query : queries.topicsByQuery().keySet()) {
            Pipeline pipeline = Pipelines.byName(query.name()).orElseThrow();
            if (pipeline.readsWeatherFiles() || !pipeline.outputMode().equals(OutputMode.Update())) {
                continue;
            }
            List<ProgressLog.Batch> batches = harness.progress().batches(query.id());
            Duration trigger = harness.settings().trigger(pipeline);
            EventToResultLatency.Summary s =
                    EventToResultLatency.toBatchEnd(harness.bootstrapServers(), pipeline, batches, from);
            String toRecord = "";
            if (RESULT_KEYED_PIPELINES.contains(pipeline.name())) {
                EventToResultLatency.Summary r =
                        EventToResultLatency.toResultRecord(harness.bootstrapServers(), pipeline, batches, from);
                toRecord = String.format("%,d / %,d", r.p50(), r.p99());
            }
            System.out.printf(
                    "| %s | %.1f | %.1f | %,d | %,d | %,d | %,d | %d | %s |%n",
                    s.pipeline(),
                    trigger.toMillis() / 1000.0,
                    trigger.plus(LATENCY_ALLOWANCE).toMillis() / 1000.0,
                    s.events(),
                    s.p50(),
                    s.p99(),
                    s.max(),
                    s.withoutResult(),
                    toRecord);
        }
    }

    /** Which queries take the time: each one's micro-batches after the warm-up. */
    private static void reportBatches(AnalyticsHarness harness, AnalyticsHarness.Queries queries, Instant from) {
        System.out.println("| query | batches | median batch duration (s) | median input rows per batch | median "
                + String.join(", ", PHASES) + " (s) |");
        System.out.println("|---|---|---|---|---|");
        for (StreamingQuery query : queries.topicsByQuery().keySet()) {
            List<ProgressLog.Batch> batches = harness.progress().batches(query.id()).stream()
                    .filter(b -> b.start().isAfter(from) && b.inputRows() > 0)
                    .toList();
            if (!batches.isEmpty()) {
                String phases = PHASES.stream()
                        .map(phase -> String.format(
                                "%.2f",
                                Stats.median(batches.stream()
                                        .map(b -> b.phases().getOrDefault(phase, 0L) / 1000.0)
                                        .toList())))
                        .collect(Collectors.joining(", "));
                System.out.printf(
                        "| %s | %d | %.1f | %,.0f | %s |%n",
                        query.name(),
                        batches.size(),
                        Stats.median(batches.stream()
                                .map(b -> Duration.between(b.start(), b.end()).toMillis() / 1000.0)
                                .toList()),
                        Stats.median(batches.stream()
                                .map(b -> (double) b.inputRows())
                                .toList()),
                        phases);
            }
        }
        System.out.println();
    }

    private static long lag(Map<String, Long> latest, Map<String, Long> processed, Set<String> topics) {
        return latest.entrySet().stream()
                .filter(e -> topics.stream().anyMatch(t -> e.getKey().startsWith(t + "-")))
                .mapToLong(e -> e.getValue() - processed.getOrDefault(e.getKey(), 0L))
                .sum();
    }

    /** One lag sample: offsets behind per Kafka-fed query. */
    private record Sample(double seconds, Map<String, Long> lagByQuery) {
        long total() {
            return lagByQuery.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Events per second each query reads (the sum of its topics' shares of the mix). */
    private static Map<String, Double> inputRates(
            AnalyticsHarness.Queries queries, Map<EventType, Double> shares, double rate) {
        Map<String, Double> rates = new LinkedHashMap<>();
        queries.topicsByQuery().forEach((query, own) -> {
            if (!own.isEmpty()) {
                rates.put(
                        query.name(),
                        rate
                                * shares.entrySet().stream()
                                        .filter(e -> own.contains(e.getKey().topicName()))
                                        .mapToDouble(Map.Entry::getValue)
                                        .sum());
            }
        });
        return rates;
    }

    /**
     * Lag growth after the warm-up, per query and summed, as a least-squares slope and as a fraction of the input
     * rate: a query keeps up when its trend is not positive. Per query, because the sum is dominated by the
     * high-rate topics and would hide a slow query on a small one.
     */
    private static void reportTrend(List<Sample> samples, Duration warmUp, Map<String, Double> inputRates) {
        List<Sample> steady =
                samples.stream().filter(s -> s.seconds() >= warmUp.toSeconds()).toList();
        double[] t = steady.stream().mapToDouble(Sample::seconds).toArray();
        System.out.println(
                "| after the warm-up | input (events/s) | lag mean | lag max | lag trend (offsets/s) | trend / input |");
        System.out.println("|---|---|---|---|---|---|");
        inputRates.forEach((query, input) -> printTrend(
                query,
                input,
                t,
                steady.stream().mapToDouble(s -> s.lagByQuery().get(query)).toArray()));
        printTrend(
                "all queries",
                inputRates.values().stream().mapToDouble(Double::doubleValue).sum(),
                t,
                steady.stream().mapToDouble(Sample::total).toArray());
        System.out.println();
    }

    private static void printTrend(String name, double input, double[] t, double[] lag) {
        double slope = Stats.slope(t, lag);
        System.out.printf(
                "| %s | %,.0f | %,.0f | %,.0f | %+,.0f | %+.1f%% |%n",
                name,
                input,
                Arrays.stream(lag).average().orElse(0),
                Arrays.stream(lag).max().orElse(0),
                slope,
                100 * slope / input);
    }
}
