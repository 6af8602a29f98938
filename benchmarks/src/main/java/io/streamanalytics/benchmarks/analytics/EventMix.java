package io.streamanalytics.benchmarks.analytics;

import io.streamanalytics.common.KafkaTopicAdmin;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.simulator.Simulator;
import io.streamanalytics.simulator.SimulatorCommand;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.config.StreamConfig;
import io.streamanalytics.simulator.send.KafkaRecordSink;
import io.streamanalytics.simulator.send.SimulatorMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * The events the benchmarks feed: the producer-simulator's own streams, in the simulator's default mix (its
 * default rates: clickstream and twitter 20, random-values and voters 10, scotsmen 5, bagpipe 1 per second),
 * scaled to the benchmark's volume. The simulator runs in this JVM through its own configuration code, so the
 * events have its realism (district and hashtag skew, disorder).
 */
final class EventMix {

    /** A fixed seed and start time make the backlog byte-identical on every run. */
    private static final List<String> DETERMINISTIC = List.of("--seed", "1", "--start-time", "2024-12-03T10:00:00Z");

    private final String bootstrapServers;
    private final Map<EventType, Double> shares = new LinkedHashMap<>();

    EventMix(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        List<StreamConfig> streams = config(List.of()).streams();
        double total = streams.stream().mapToDouble(StreamConfig::ratePerSecond).sum();
        streams.forEach(s -> shares.put(s.topic(), s.ratePerSecond() / total));
    }

    Map<EventType, Double> shares() {
        return Map.copyOf(shares);
    }

    /**
     * Sends {@code total} events to {@code topics} as fast as possible, split between them in the mix's proportions,
     * and returns how many went to each topic; the other topics get none.
     */
    Map<EventType, Long> prefill(long total, Set<EventType> topics) throws InterruptedException {
        Map<EventType, Long> counts = new LinkedHashMap<>();
        List<String> args = new ArrayList<>(DETERMINISTIC);
        args.addAll(List.of("--speed", "0", "--weather-enabled", "false"));
        double selected = topics.stream().mapToDouble(shares::get).sum();
        shares.forEach((topic, share) -> {
            if (topics.contains(topic)) {
                counts.put(topic, Math.round(total * share / selected));
                args.addAll(List.of("--" + topic.topicName() + "-count", Long.toString(counts.get(topic))));
            } else {
                args.addAll(List.of("--" + topic.topicName() + "-enabled", "false"));
            }
        });
        try (Live sending = start(config(args))) {
            sending.simulator.awaitCompletion();
            sending.simulator.stop();
            Map<String, Long> acknowledged = new LinkedHashMap<>(sending.metrics.acknowledgedByTopic());
            // The disabled topics are listed too, with nothing sent.
            acknowledged.values().removeIf(n -> n == 0);
            if (!acknowledged.equals(names(counts))) {
                throw new IllegalStateException("Kafka acknowledged " + acknowledged + " instead of " + names(counts));
            }
        }
        return counts;
    }

    /**
     * Starts sending the mix at {@code eventsPerSecond} in total, in real time, event time = now and in order (no
     * disorder, so an event's time is when it is sent), with the simulator's weather files in {@code weatherDir}.
     */
    Live live(double eventsPerSecond, Path weatherDir) {
        List<String> args = new ArrayList<>(List.of(
                "--seed",
                "1",
                "--speed",
                "1",
                "--out-of-order-fraction",
                "0",
                "--late-fraction",
                "0",
                "--weather-dir",
                weatherDir.toString()));
        shares.forEach((topic, share) ->
                args.addAll(List.of("--" + topic.topicName() + "-rate", Double.toString(eventsPerSecond * share))));
        return start(config(args));
    }

    /** A running simulator; closing it stops it and waits until Kafka acknowledged everything sent. */
    static final class Live implements AutoCloseable {
        private final Simulator simulator;
        private final KafkaRecordSink sink;
        private final SimulatorMetrics metrics;

        private Live(Simulator simulator, KafkaRecordSink sink, SimulatorMetrics metrics) {
            this.simulator = simulator;
            this.sink = sink;
            this.metrics = metrics;
        }

        long acknowledged() {
            return metrics.acknowledgedByTopic().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }

        @Override
        public void close() {
            simulator.stop();
            sink.close();
        }
    }

    /** Creates the input topics as the simulator does (its partition count), before the pipelines would. */
    void createTopics() {
        SimulatorConfig config = config(List.of());
        KafkaTopicAdmin.ensureExist(
                config.kafka(),
                shares.keySet().stream()
                        .map(t -> KafkaTopicAdmin.inputTopic(
                                t.topicName(),
                                Optional.of(config.partitions()),
                                Optional.of(config.replicationFactor())))
                        .toList());
    }

    private Live start(SimulatorConfig config) {
        createTopics();
        SimulatorMetrics metrics = new SimulatorMetrics();
        KafkaRecordSink sink = new KafkaRecordSink(config.kafka(), metrics);
        return new Live(Simulator.start(config, sink, metrics), sink, metrics);
    }

    private SimulatorConfig config(List<String> args) {
        // The simulator's own Kafka settings from the environment (KAFKA_LINGER_MS=...), against this broker.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(name -> !name.startsWith("KAFKA_"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        CommandLine commandLine = SimulatorCommand.commandLine(env);
        List<String> all = new ArrayList<>(List.of("--metrics-port", "0"));
        all.addAll(args);
        commandLine.parseArgs(all.toArray(String[]::new));
        return ((SimulatorCommand) commandLine.getCommand()).toConfig();
    }

    private static Map<String, Long> names(Map<EventType, Long> counts) {
        Map<String, Long> byName = new LinkedHashMap<>();
        counts.forEach((topic, n) -> byName.put(topic.topicName(), n));
        return byName;
    }
}
