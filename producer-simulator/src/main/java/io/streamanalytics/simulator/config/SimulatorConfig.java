package io.streamanalytics.simulator.config;

import io.streamanalytics.common.Durations;
import io.streamanalytics.common.KafkaClientProperties;
import io.streamanalytics.simulator.generate.Disorder;
import io.streamanalytics.simulator.generate.TrafficShape;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's whole configuration, immutable and validated, built once from the command line and the
 * environment by the root package's {@code SimulatorCommand}.
 *
 * @param seed          the random seed; with a fixed {@code startTime} the events are byte-identical on every run
 * @param startTime     event time of the first event of every stream
 * @param speed         1 sends in real time, N compresses N seconds of event time into one, 0 as fast as possible
 * @param replayFile    when set, the simulator replays this JSON-lines file instead of generating
 * @param stdout        write record values to standard output as JSON lines instead of sending them to Kafka
 */
public record SimulatorConfig(
        Map<String, String> kafka,
        List<StreamConfig> streams,
        long seed,
        Instant startTime,
        double speed,
        Shape shape,
        Disorder disorder,
        double malformedFraction,
        double districtSkew,
        double hashtagSkew,
        int partitions,
        short replicationFactor,
        WeatherConfig weather,
        Path replayFile,
        boolean stdout,
        int metricsPort) {

    /** Bursts and idle periods, shared by all streams; each stream applies them to its own rate. */
    public record Shape(
            Duration burstEvery,
            Duration burstDuration,
            double burstFactor,
            Duration idleEvery,
            Duration idleDuration) {

        public TrafficShape at(double ratePerSecond) {
            return new TrafficShape(ratePerSecond, burstEvery, burstDuration, burstFactor, idleEvery, idleDuration);
        }
    }

    public SimulatorConfig {
        kafka = Map.copyOf(kafka);
        streams = List.copyOf(streams);
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException(
                    "speed must be 0 (as fast as possible) or a positive factor, got " + speed);
        }
        if (!(districtSkew >= 0) || !(hashtagSkew >= 0)) {
            throw new IllegalArgumentException("skews must not be negative");
        }
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replication factor must be at least 1");
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("metrics port must be 0-65535, got " + metricsPort);
        }
        // Fail now rather than in a stream thread: every enabled stream's shape must be valid.
        for (StreamConfig stream : streams) {
            shape.at(stream.ratePerSecond());
        }
    }

    /** What is logged at start: everything but secrets. */
    public Map<String, Object> describe() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("kafka", KafkaClientProperties.redacted(kafka));
        streams.forEach(s -> shown.put(
                s.topic().topicName(),
                s.enabled()
                        ? "rate=" + s.ratePerSecond() + "/s count=" + (s.count() == 0 ? "unlimited" : s.count())
                                + " duration=" + (s.duration().isZero() ? "unlimited" : Durations.format(s.duration()))
                        : "off"));
        shown.put("seed", seed);
        shown.put("startTime", startTime);
        shown.put("speed", speed == 0 ? "as fast as possible" : speed);
        shown.put("shape", shape);
        shown.put("disorder", disorder);
        shown.put("malformedFraction", malformedFraction);
        shown.put("districtSkew", districtSkew);
        shown.put("hashtagSkew", hashtagSkew);
        shown.put("topics", partitions + " partitions, replication factor " + replicationFactor);
        shown.put("weather", weather);
        shown.put("replayFile", replayFile);
        shown.put("output", stdout ? "stdout" : "kafka");
        shown.put("metricsPort", metricsPort);
        return shown;
    }
}
