package io.streamanalytics.common;

/** A started service, as {@link ServiceRunner} runs it. */
public interface RunningService {

    /**
     * Blocks until the service ends, by itself (a finite run is done, no work is left that it can do, a failure) or
     * through {@link #stop()}, and says how it ended. A failure may also be thrown: it counts as
     * {@link ExitCode#FAILED}.
     */
    ExitCode awaitEnd() throws InterruptedException;

    /**
     * Stops the service and releases what it holds, and returns once that is done: the JVM ends as soon as the
     * shutdown hook that calls it returns. It is called on the shutdown hook's thread while {@link #awaitEnd()} may
     * still be waiting, and again by the runner after the service ended by itself, so it must be safe on any thread
     * and do nothing the second time.
     */
    void stop();
}
