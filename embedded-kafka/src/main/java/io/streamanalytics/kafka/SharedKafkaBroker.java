package io.streamanalytics.kafka;

/**
 * One broker per JVM for test suites: started on first use, stopped by a shutdown hook. Test classes share
 * it and isolate themselves by topic names, which keeps a whole module's suite to one ~2 s broker start.
 */
public final class SharedKafkaBroker {

    private static EmbeddedKafkaBroker broker;

    private SharedKafkaBroker() {}

    public static synchronized EmbeddedKafkaBroker get() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.ephemeral());
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-shutdown"));
        }
        return broker;
    }
}
