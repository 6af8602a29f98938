package io.streamanalytics.benchmarks;

import io.streamanalytics.benchmarks.analytics.AnalyticsCapacityBenchmark;
import io.streamanalytics.benchmarks.analytics.AnalyticsLiveBenchmark;
import java.util.Arrays;

/**
 * The one entry point of {@code benchmarks.jar}, so every benchmark runs with {@code java -jar} and gets the
 * manifest's {@code Add-Opens} that Spark needs on Java 17: {@code java -jar benchmarks.jar <benchmark> [args]}.
 */
public final class BenchmarkMain {

    private static final String USAGE = """
            usage: java -jar benchmarks/target/benchmarks.jar <benchmark> [args]
              producer [records] [rounds]                          simulator vs Kafka's ProducerPerformance
              analytics-capacity [events] [rounds] [per-pipeline]  drain a backlog: the pipelines (env PIPELINES,
                                                                   default all) vs read-and-parse
              analytics-live [events/s] [seconds] [warm-up s]      live mix: lag over time, event-to-result latency
            """;

    private BenchmarkMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "producer" -> ProducerThroughputBenchmark.main(rest);
            case "analytics-capacity" -> AnalyticsCapacityBenchmark.main(rest);
            case "analytics-live" -> AnalyticsLiveBenchmark.main(rest);
            default -> {
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }
}
