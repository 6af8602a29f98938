package io.streamanalytics.common;

/**
 * Where {@link ServiceRunner} registers its shutdown hook. The JVM's own ({@link #runtime()}) unless a service must
 * order its hook among others: the analytics registers it through Hadoop's hook manager, to run before Spark's.
 */
public interface ShutdownHooks {

    /**
     * Registers a hook to run when the JVM shuts down.
     *
     * @throws IllegalStateException if the JVM is already shutting down
     */
    void add(Thread hook);

    /**
     * Unregisters a hook that was added and has not run.
     *
     * @throws IllegalStateException if the JVM is already shutting down (then the hook runs, or has run)
     */
    void remove(Thread hook);

    /** The JVM's shutdown hooks: {@link Runtime#addShutdownHook}, which also throw as described above. */
    static ShutdownHooks runtime() {
        return new ShutdownHooks() {
            @Override
            public void add(Thread hook) {
                Runtime.getRuntime().addShutdownHook(hook);
            }

            @Override
            public void remove(Thread hook) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        };
    }
}
