package io.streamanalytics.benchmarks.analytics;

import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.benchmarks.Stats;
import io.streamanalytics.schemas.topics.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * How many events per second the pipelines process when they never wait for input, against the ceiling of
 * reading and parsing the same topics. One broker and one Spark session in this JVM; the input topics of the
 * pipelines under test ({@code PIPELINES}, default all eight) are pre-filled once with a backlog in the simulator's
 * mix; then, in alternating order, each round drains the whole backlog with (a) one read-and-parse query per topic
 * and (b) the pipelines as production wires them, each run on fresh checkpoints. A run's rate is the backlog's
 * events divided by the time from the start of the first micro-batch of any query to the end of the batch with
 * which the last query caught up. Each query's own rate is also given over the sum of its batch durations, which
 * leaves out the waits between batches and so measures the work alone. Optionally each Kafka-fed pipeline then
 * drains its own input alone, beside a baseline of the same topics.
 *
 * <p>Run: {@code [PIPELINES=a,b] java -Xmx4g -jar benchmarks/target/benchmarks.jar analytics-capacity [events] [rounds]
 * [per-pipeline]}
 */
public final class AnalyticsCapacityBenchmark {

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

    private AnalyticsCapacityBenchmark() {}

    /**
     * A drained backlog: the overall rate, the backlog's events per CPU second this JVM (broker and Spark) spent from
     * the start of the queries until they caught up, and each query's rates over its own input, by its own span and
     * by the sum of its batch durations. The CPU figure hardly depends on what else the machine runs.
     */
    private record Drain(
            double eventsPerSecond,
            double seconds,
            double eventsPerCpuSecond,
            Map<String, Double> perQuery,
            Map<String, Double> perQueryBusy) {}

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean perPipeline = args.length <= 2 || Boolean.parseBoolean(args[2]);
        try (AnalyticsHarness harness = new AnalyticsHarness()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            List<Pipeline> selected = harness.pipelines();
            Set<EventType> allTopics = new LinkedHashSet<>();
            selected.forEach(p -> allTopics.addAll(p.topics()));
            new EventMix(harness.bootstrapServers())
                    .prefill(events, allTopics)
                    .forEach((topic, n) -> counts.put(topic.topicName(), n));
            Map<String, Long> targets = harness.endOffsets(counts.keySet());
            System.out.printf(
                    "Backlog: %,d events %s; analytics: %s; load %s%n%n",
                    events, counts, harness.describeSettings(), AnalyticsHarness.loadAverage());

            System.out.println("| round | first | read-and-parse (events/s) | pipelines (events/s) | ratio"
                    + " | events per JVM CPU second, read-and-parse / pipelines | load before, after |");
            System.out.println("|---|---|---|---|---|---|---|");
            List<Double> baselines = new ArrayList<>();
            List<Double> pipelines = new ArrayList<>();
            Map<String, List<Double>> perQuery = new LinkedHashMap<>();
            Map<String, List<Double>> perQueryBusy = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                String loadBefore = AnalyticsHarness.loadAverage();
                Supplier<Drain> baseline =
                        () -> drain(harness, () -> harness.startBaseline(allTopics), targets, counts);
                Supplier<Drain> all = () -> drain(harness, () -> harness.startPipelines(selected), targets, counts);
                // Alternate which goes first, so neither always meets a warmer JVM or a quieter machine.
                Drain[] pair = alternate(round, baseline, all);
                baselines.add(pair[0].eventsPerSecond());
                pipelines.add(pair[1].eventsPerSecond());
                pair[1].perQuery()
                        .forEach((q, rate) -> perQuery.computeIfAbsent(q, k -> new ArrayList<>())
                                .add(rate));
                pair[1].perQueryBusy()
                        .forEach((q, rate) -> perQueryBusy
                                .computeIfAbsent(q, k -> new ArrayList<>())
                                .add(rate));
                System.out.printf(
                        "| %d | %s | %,.0f (%.1f s) | %,.0f (%.1f s) | %.2f | %,.0f / %,.0f | %s; %s |%n",
                        round,
                        round % 2 == 1 ? "read-and-parse" : "pipelines",
                        pair[0].eventsPerSecond(),
                        pair[0].seconds(),
                        pair[1].eventsPerSecond(),
                        pair[1].seconds(),
                        pair[1].eventsPerSecond() / pair[0].eventsPerSecond(),
                        pair[0].eventsPerCpuSecond(),
                        pair[1].eventsPerCpuSecond(),
                        loadBefore,
                        AnalyticsHarness.loadAverage());
            }
            double baseMedian = Stats.median(baselines);
            double allMedian = Stats.median(pipelines);
            System.out.printf(
                    "| median | | %,.0f | %,.0f | %.2f | | |%n%n", baseMedian, allMedian, allMedian / baseMedian);

            System.out.println(
                    "Within the pipelines runs, each query's own input over its own time to catch up and over"
                            + " its summed batch durations (median of rounds; each round's figure in brackets):");
            System.out.println();
            System.out.println("| query | events/s of its input | events/s by summed batch time |");
            System.out.println("|---|---|---|");
            perQuery.forEach((q, rates) -> System.out.printf(
                    "| %s | %,.0f | %,.0f %s |%n",
                    q,
                    Stats.median(rates),
                    Stats.median(perQueryBusy.get(q)),
                    perQueryBusy.get(q).stream()
                            .map(rate -> String.format("%,.0f", rate))
                            .toList()));
            System.out.println();

            if (perPipeline) {
                alone(harness, selected, counts, targets);
            }
        }
    }

    /** Each Kafka-fed pipeline alone against reading and parsing its own topics alone, alternating order. */
    private static void alone(
            AnalyticsHarness harness, List<Pipeline> pipelines, Map<String, Long> counts, Map<String, Long> targets) {
        System.out.println(
                "| pipeline alone | its input events | read-and-parse of its topics (events/s) | pipeline (events/s) | ratio | load after |");
        System.out.println("|---|---|---|---|---|---|");
        int i = 0;
        for (Pipeline pipeline : pipelines) {
            if (pipeline.readsWeatherFiles()) {
                continue;
            }
            Set<EventType> topics = new LinkedHashSet<>(pipeline.topics());
            Map<String, Long> own = new LinkedHashMap<>(counts);
            own.keySet().retainAll(AnalyticsHarness.topicNames(pipeline.topics()));
            Drain[] pair = alternate(
                    ++i,
                    () -> drain(harness, () -> harness.startBaseline(topics), targets, own),
                    () -> drain(harness, () -> harness.startPipelines(List.of(pipeline)), targets, own));
            System.out.printf(
                    "| %s | %,d | %,.0f | %,.0f | %.2f | %s |%n",
                    pipeline.name(),
                    own.values().stream().mapToLong(Long::longValue).sum(),
                    pair[0].eventsPerSecond(),
                    pair[1].eventsPerSecond(),
                    pair[1].eventsPerSecond() / pair[0].eventsPerSecond(),
                    AnalyticsHarness.loadAverage());
        }
        System.out.println();
    }

    /** Runs both, the first one first in odd rounds; returns {baseline, pipelines}. */
    private static Drain[] alternate(int round, Supplier<Drain> baseline, Supplier<Drain> pipelines) {
        if (round % 2 == 1) {
            Drain b = baseline.get();
            return new Drain[] {b, pipelines.get()};
        }
        Drain p = pipelines.get();
        return new Drain[] {baseline.get(), p};
    }

    private static Drain drain(
            AnalyticsHarness harness,
            Supplier<AnalyticsHarness.Queries> start,
            Map<String, Long> targets,
            Map<String, Long> counts) {
        long cpuBefore = AnalyticsHarness.processCpuNanos();
        AnalyticsHarness.Queries queries = start.get();
        try {
            Map<StreamingQuery, ProgressLog.Batch> caughtUp = harness.awaitCaughtUp(queries, targets, DRAIN_TIMEOUT);
            double cpuSeconds = (AnalyticsHarness.processCpuNanos() - cpuBefore) / 1e9;
            Instant first = Instant.MAX;
            Instant last = Instant.MIN;
            Map<String, Double> perQuery = new LinkedHashMap<>();
            Map<String, Double> perQueryBusy = new LinkedHashMap<>();
            for (Map.Entry<StreamingQuery, ProgressLog.Batch> e : caughtUp.entrySet()) {
                Instant start1 =
                        harness.progress().batches(e.getKey().id()).get(0).start();
                Instant end = e.getValue().end();
                first = first.isBefore(start1) ? first : start1;
                last = last.isAfter(end) ? last : end;
                long own = queries.topicsByQuery().get(e.getKey()).stream()
                        .mapToLong(counts::get)
                        .sum();
                perQuery.put(
                        e.getKey().name(),
                        own * 1000.0 / Duration.between(start1, end).toMillis());
                long busyMillis = harness.progress().batches(e.getKey().id()).stream()
                        .filter(b -> !b.start().isAfter(e.getValue().start()))
                        .mapToLong(b -> Duration.between(b.start(), b.end()).toMillis())
                        .sum();
                perQueryBusy.put(e.getKey().name(), own * 1000.0 / busyMillis);
            }
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            double seconds = Duration.between(first, last).toMillis() / 1000.0;
            return new Drain(total / seconds, seconds, total / cpuSeconds, perQuery, perQueryBusy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            queries.stop();
        }
    }
}
