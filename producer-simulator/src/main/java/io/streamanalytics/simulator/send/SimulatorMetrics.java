package io.streamanalytics.simulator.send;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.simulator.generate.MalformedKind;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The simulator's meters, exposed on {@code /metrics}: events acknowledged per topic, faults injected per
 * topic and kind, send errors and send latency (send to acknowledgement) per topic, weather files written and replay progress.
 * The acknowledged counts are also kept as plain numbers for the exit summary.
 */
public final class SimulatorMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
    private final Map<String, Counter> sent = new ConcurrentHashMap<>();
    private final Map<String, Counter> malformedInjected = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Counter weatherFiles;
    private final AtomicLong replayLinesTotal = new AtomicLong();
    private final AtomicLong replayLinesDone = new AtomicLong();
    private final Counter replayInvalid;

    public SimulatorMetrics() {
        for (EventType topic : Topics.INPUTS) {
            String name = topic.topicName();
            acknowledged.put(name, new AtomicLong());
            failed.put(name, new AtomicLong());
            sent.put(
                    name,
                    Counter.builder("simulator.events.sent")
                            .description("Records acknowledged by Kafka")
                            .tag("topic", name)
                            .register(registry));
            for (MalformedKind kind : MalformedKind.values()) {
                malformedInjected.put(
                        name + "/" + kind,
                        Counter.builder("simulator.malformed.injected")
                                .description("Records deliberately broken before sending")
                                .tag("topic", name)
                                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                                .register(registry));
            }
            errors.put(
                    name,
                    Counter.builder("simulator.send.errors")
                            .description("Records Kafka did not acknowledge")
                            .tag("topic", name)
                            .register(registry));
            latency.put(
                    name,
                    Timer.builder("simulator.send.latency")
                            .description("Time from send to acknowledgement")
                            .tag("topic", name)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofSeconds(30))
                            .register(registry));
        }
        weatherFiles = Counter.builder("simulator.weather.files")
                .description("Weather CSV files written")
                .register(registry);
        replayInvalid = Counter.builder("simulator.replay.invalid.lines")
                .description("Replay lines skipped as invalid")
                .register(registry);
        Gauge.builder("simulator.replay.lines.total", replayLinesTotal, AtomicLong::get)
                .description("Event lines in the file being replayed")
                .register(registry);
        Gauge.builder("simulator.replay.lines.done", replayLinesDone, AtomicLong::get)
                .description("Event lines of the replay file handled so far")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void acknowledged(String topic, long latencyNanos) {
        acknowledged.get(topic).incrementAndGet();
        sent.get(topic).increment();
        latency.get(topic).record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    public void malformedInjected(String topic, MalformedKind kind) {
        malformedInjected.get(topic + "/" + kind).increment();
    }

    public void failed(String topic) {
        failed.get(topic).incrementAndGet();
        errors.get(topic).increment();
    }

    public void weatherFileWritten() {
        weatherFiles.increment();
    }

    public void replayStarted(long totalLines) {
        replayLinesTotal.set(totalLines);
    }

    public void replayLineDone(boolean valid) {
        replayLinesDone.incrementAndGet();
        if (!valid) {
            replayInvalid.increment();
        }
    }

    public Map<String, Long> acknowledgedByTopic() {
        return snapshot(acknowledged);
    }

    public Map<String, Long> failedByTopic() {
        return snapshot(failed);
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        return counts.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().get(), (a, b) -> a, java.util.TreeMap::new));
    }
}
