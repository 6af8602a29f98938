package io.streamanalytics.consumer;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamanalytics.consumer.ingest.Materialiser;
import io.streamanalytics.consumer.ingest.RawValuesTail;
import io.streamanalytics.consumer.ingest.Readiness;
import io.streamanalytics.consumer.ingest.ResultParser;
import io.streamanalytics.consumer.metrics.ConsumerMetrics;
import io.streamanalytics.consumer.store.Database;
import io.streamanalytics.consumer.store.PipelineCatalog;
import io.streamanalytics.consumer.store.ResultStore;
import io.streamanalytics.consumer.web.HttpApi;
import io.streamanalytics.consumer.web.ResultStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running results-consumer: database pool, materialiser, raw-values tail and HTTP server, started in that
 * order by {@link #start} and stopped in reverse by {@link #close}.
 */
public final class ResultsConsumerService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultsConsumerService.class);
    /**
     * Raw random values kept for the dashboard: about the 90 points the granularity-reduction notebook plots
     * (docs/notebooks.md), with room to spare.
     */
    static final int RAW_VALUES_KEPT = 300;
    /**
     * Micrometer's names that {@code promtool check metrics} warns about ("_ns" unit, "_count" on a gauge);
     * process_cpu_usage and the JVM's own metrics say the same.
     */
    static final Set<String> PROMTOOL_REJECTS = Set.of("process.cpu.time", "system.cpu.count");
    /**
     * The Kafka clients' meters promtool warns about for the same reasons (kafka.consumer.io.time.ns.total,
     * kafka.app.info.start.time.ms, kafka.consumer.connection.count); their neighbours say the same in seconds or rates.
     */
    static final Pattern PROMTOOL_REJECTS_KAFKA = Pattern.compile("kafka\\..*(\\.(ms|ns)(\\..*)?|\\.count)");

    private final List<AutoCloseable> resources;
    private final Materialiser materialiser;
    private final HttpApi http;
    private final ResultStream stream;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ResultsConsumerService(
            List<AutoCloseable> resources, Materialiser materialiser, HttpApi http, ResultStream stream) {
        this.resources = resources;
        this.materialiser = materialiser;
        this.http = http;
        this.stream = stream;
    }

    /**
     * Starts everything and returns once the consumer reached the database and Kafka and has its partitions.
     *
     * @throws IllegalStateException if that did not happen within {@link ResultsConsumerConfig#startTimeout()}
     */
    public static ResultsConsumerService start(ResultsConsumerConfig config) throws InterruptedException {
        // Closed in reverse order of opening; whatever opened before a failure is closed again.
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.config()
                    .meterFilter(MeterFilter.deny(id -> PROMTOOL_REJECTS.contains(id.getName())
                            || PROMTOOL_REJECTS_KAFKA.matcher(id.getName()).matches()));
            opened.add(registry::close);
            new JvmMemoryMetrics().bindTo(registry);
            JvmGcMetrics gcMetrics = new JvmGcMetrics();
            gcMetrics.bindTo(registry);
            opened.add(gcMetrics);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);

            HikariDataSource writer = Database.openWriter(config.database());
            opened.add(writer);
            HikariDataSource reader = Database.openReader(config.database());
            opened.add(reader);
            // Both pools as hikaricp_* meters by pool name: connections active, idle and pending, acquire time.
            writer.setMetricRegistry(registry);
            reader.setMetricRegistry(registry);
            PipelineCatalog catalog = new PipelineCatalog();
            ResultStore store = new ResultStore(writer, reader, catalog);
            store.restoreCatalog();

            ResultStream stream = new ResultStream(config.maxStreamClients());
            ConsumerMetrics metrics = new ConsumerMetrics(registry);
            KafkaConsumer<String, byte[]> resultsConsumer = new KafkaConsumer<>(consumerProperties(config));
            Materialiser materialiser = new Materialiser(
                    resultsConsumer,
                    store,
                    new ResultParser(catalog),
                    metrics,
                    config.startTimeout(),
                    new Readiness(config.readinessGrace(), Clock.systemUTC()),
                    stream::publishResults);
            opened.add(materialiser);
            KafkaConsumer<String, byte[]> rawValuesConsumer = new KafkaConsumer<>(rawValuesProperties(config));
            RawValuesTail rawValues = new RawValuesTail(
                    rawValuesConsumer, config.rawValuesTopic(), RAW_VALUES_KEPT, stream::publishRawValues);
            opened.add(rawValues);
            // The clients' own metrics (fetch rate and latency, records lag, commits) as kafka_consumer_* meters.
            for (KafkaConsumer<?, ?> client : List.of(resultsConsumer, rawValuesConsumer)) {
                KafkaClientMetrics clientMetrics = new KafkaClientMetrics(client);
                clientMetrics.bindTo(registry);
                opened.add(clientMetrics);
            }
            startThread(materialiser, "materialiser");
            startThread(rawValues, "raw-values-tail");

            HttpApi http = HttpApi.start(
                    config.httpPort(),
                    config.httpIdleTimeout(),
                    new HttpApi.Backend(store, catalog, materialiser, rawValues::recent, stream, registry));
            opened.add(http);
            // Closed before the HTTP server: ending the event streams needs their requests still alive.
            opened.add(stream);
            materialiser.awaitAssignment(config.startTimeout());
            return new ResultsConsumerService(reversed(opened), materialiser, http, stream);
        } catch (RuntimeException | InterruptedException e) {
            closeAll(reversed(opened));
            throw e;
        }
    }

    public int httpPort() {
        return http.port();
    }

    /** Browsers connected to the live event stream. */
    public int streamClients() {
        return stream.clientCount();
    }

    public boolean isReady() {
        return materialiser.isReady();
    }

    /** Blocks until the poll loop ends; returns why it failed, or null if it was stopped by {@link #close()}. */
    public Throwable awaitTermination() throws InterruptedException {
        return materialiser.awaitTermination();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            log.info("Stopping the results-consumer");
            closeAll(resources);
            log.info("Results-consumer stopped");
        }
    }

    private static List<AutoCloseable> reversed(List<AutoCloseable> list) {
        List<AutoCloseable> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Error while closing {}", resource.getClass().getSimpleName(), e);
            }
        }
    }

    private static void startThread(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static Properties consumerProperties(ResultsConsumerConfig config) {
        Properties props = config.kafka();
        props.put("enable.auto.commit", "false");
        props.putIfAbsent("auto.offset.reset", "earliest");
        // Only committed results: the analytics may write its results transactionally.
        props.putIfAbsent("isolation.level", "read_committed");
        props.putIfAbsent("max.poll.records", "5000");
        props.put("allow.auto.create.topics", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return props;
    }

    /** The tail reads by assignment, outside any group, and must not create the topic by asking for it. */
    private static Properties rawValuesProperties(ResultsConsumerConfig config) {
        Properties props = consumerProperties(config);
        props.remove("group.id");
        props.put("client.id", "results-consumer-raw-values");
        return props;
    }
}
