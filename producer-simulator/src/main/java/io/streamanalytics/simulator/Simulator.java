package io.streamanalytics.simulator;

import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.config.StreamConfig;
import io.streamanalytics.simulator.generate.ClickstreamFactory;
import io.streamanalytics.simulator.generate.DistrictEventFactory;
import io.streamanalytics.simulator.generate.EventFactory;
import io.streamanalytics.simulator.generate.EventStream;
import io.streamanalytics.simulator.generate.RandomValueFactory;
import io.streamanalytics.simulator.generate.StreamSettings;
import io.streamanalytics.simulator.generate.TweetFactory;
import io.streamanalytics.simulator.generate.VoterFactory;
import io.streamanalytics.simulator.replay.ReplayRunner;
import io.streamanalytics.simulator.send.Pacer;
import io.streamanalytics.simulator.send.RecordSink;
import io.streamanalytics.simulator.send.SimulatorMetrics;
import io.streamanalytics.simulator.send.StreamRunner;
import io.streamanalytics.simulator.weather.WeatherFileWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running simulator: one thread per enabled stream (or one replay thread) and the weather writer.
 * {@link #start} launches them, {@link #awaitCompletion} returns when every finite one has finished, and
 * {@link #stop} interrupts them and flushes the sink so that every record handed to it is acknowledged. Weather
 * without a file count only accompanies the event streams: once they have all finished, it finishes too.
 */
public final class Simulator {

    private static final Logger log = LoggerFactory.getLogger(Simulator.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final List<Thread> threads = new ArrayList<>();
    /** The event streams or the replay, without the weather writer. */
    private final List<Thread> eventThreads = new ArrayList<>();

    private final RecordSink sink;
    private WeatherFileWriter unboundedWeather;

    private Simulator(RecordSink sink) {
        this.sink = sink;
    }

    public static Simulator start(SimulatorConfig config, RecordSink sink, SimulatorMetrics metrics) {
        Simulator simulator = new Simulator(sink);
        if (config.replayFile() != null) {
            simulator.launch("replay", new ReplayRunner(config.replayFile(), config.speed(), sink, metrics));
        } else {
            // One pacer for all streams: they share the same mapping of event time to wall time.
            Pacer pacer = new Pacer(config.startTime(), config.speed());
            for (StreamConfig stream : config.streams()) {
                if (stream.enabled()) {
                    simulator.launch(
                            "stream-" + stream.topic().topicName(),
                            new StreamRunner(stream(config, stream), stream, config.startTime(), pacer, sink, metrics));
                }
            }
        }
        simulator.eventThreads.addAll(simulator.threads);
        if (config.weather().enabled()) {
            WeatherFileWriter weather = new WeatherFileWriter(
                    config.weather(), config.seed(), config.startTime(), metrics, Clock.systemUTC());
            if (config.weather().fileCount() == 0 && !simulator.eventThreads.isEmpty()) {
                simulator.unboundedWeather = weather;
            }
            simulator.launch("weather", weather);
        }
        return simulator;
    }

    /** The deterministic event stream of one topic under this configuration. */
    public static EventStream<?> stream(SimulatorConfig config, StreamConfig stream) {
        StreamSettings settings = new StreamSettings(
                config.shape().at(stream.ratePerSecond()), config.disorder(), config.malformedFraction());
        return new EventStream<>(
                stream.topic(), factory(stream.topic(), config), settings, config.seed(), config.startTime());
    }

    /** The generator of each event type: one case per type, so a new type does not compile until it has one. */
    private static EventFactory<?> factory(EventType topic, SimulatorConfig config) {
        return switch (topic) {
            case CLICKSTREAM -> new ClickstreamFactory();
            case RANDOM_VALUES -> new RandomValueFactory();
            case TWITTER -> new TweetFactory(config.hashtagSkew());
            case VOTERS -> new VoterFactory();
            case SCOTSMEN -> DistrictEventFactory.scotsmen(config.districtSkew());
            case BAGPIPE -> DistrictEventFactory.bagpipes(config.districtSkew());
        };
    }

    private void launch(String name, Runnable task) {
        Thread thread = new Thread(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.error("{} failed", name, e);
                    }
                },
                name);
        threads.add(thread);
        thread.start();
    }

    /**
     * Waits until every event stream has finished (one without count or duration never does), then for the weather
     * writer: to its file count, or, without one, only to the end of the file it is writing.
     */
    public void awaitCompletion() throws InterruptedException {
        for (Thread thread : eventThreads) {
            thread.join();
        }
        if (unboundedWeather != null) {
            unboundedWeather.finish();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** Interrupts what still runs, waits for it (bounded) and flushes the sink. */
    public void stop() {
        threads.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sink.flush();
    }
}
