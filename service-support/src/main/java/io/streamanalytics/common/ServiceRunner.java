package io.streamanalytics.common;

import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a service from its {@code main} to its exit status, the same for every service: read the
 * configuration, log it, start, stop on SIGTERM through one shutdown hook, wait for the end, exit with an
 * {@link ExitCode}:
 *
 * <pre>{@code
 * ServiceRunner.exit(new ServiceRunner("results-consumer")
 *         .run(() -> ResultsConsumerConfig.fromEnvironment(System.getenv()), ResultsConsumerConfig::redacted, Main::start)
 *         .code());
 * }</pre>
 *
 * <p>{@link #run} returns instead of exiting, so that a command line (picocli) or a test can run a service in its own
 * JVM; {@link #exit} is the one place that ends the JVM.
 */
public final class ServiceRunner {

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private final String service;
    private final ShutdownHooks hooks;

    /** A runner whose hook is one of the JVM's own. */
    public ServiceRunner(String service) {
        this(service, ShutdownHooks.runtime());
    }

    /**
     * @param service the name the log lines give it, e.g. {@code stream-analytics}
     * @param hooks where the hook that stops it on SIGTERM is registered
     */
    public ServiceRunner(String service, ShutdownHooks hooks) {
        this.service = service;
        this.hooks = hooks;
    }

    /** Starts a service from its configuration; what it throws means the service could not start. */
    @FunctionalInterface
    public interface Starter<C> {
        /** Returns once the service runs, or throws having closed again whatever it opened. */
        RunningService start(C config) throws Exception;
    }

    /**
     * Runs a service until it ends by itself or is stopped by the shutdown hook.
     *
     * @param configure reads the configuration; an {@link IllegalArgumentException} says what is invalid
     * @param describe the configuration as logged at start, secrets redacted
     * @return {@link ExitCode#CONFIGURATION} for invalid settings, {@link ExitCode#FAILED} when the start fails or
     *     the service fails while running, otherwise what the service says of its end
     */
    public <C> ExitCode run(Supplier<C> configure, Function<? super C, ?> describe, Starter<? super C> starter) {
        C config;
        try {
            config = configure.get();
        } catch (IllegalArgumentException e) {
            // The message names every invalid setting; a stack trace would only bury it.
            log.error("{} not started: {}", service, e.getMessage());
            return ExitCode.CONFIGURATION;
        }
        log.info("{} starting with {}", service, describe.apply(config));
        RunningService running;
        try {
            running = starter.start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("{} could not start: interrupted", service);
            return ExitCode.FAILED;
        } catch (Exception e) {
            log.error("{} could not start: {}", service, e.getMessage(), e);
            return ExitCode.FAILED;
        }
        Thread hook = new Thread(
                () -> {
                    log.info("{} shutting down", service);
                    running.stop();
                },
                service + "-shutdown");
        try {
            hooks.add(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // SIGTERM came during the start, too late for a hook: stop it here while the JVM ends.
            running.stop();
            return ExitCode.OK;
        }
        ExitCode outcome = awaitEnd(running);
        try {
            hooks.remove(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // Stopped by the hook, or about to be: the hook does the stop, and the JVM ends with its own status.
            return outcome;
        }
        // It ended by itself: what it still holds is released before the exit, without the hook.
        running.stop();
        return outcome;
    }

    private ExitCode awaitEnd(RunningService running) {
        try {
            return running.awaitEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("{} interrupted", service);
            return ExitCode.FAILED;
        } catch (RuntimeException e) {
            log.error("{} failed: {}", service, e.getMessage(), e);
            return ExitCode.FAILED;
        }
    }

    /**
     * Ends the JVM with {@code status}, unless it is already shutting down (SIGTERM): {@code System.exit} would then
     * block indefinitely (its Javadoc), from a shutdown hook for ever, and the JVM ends with its own status anyway,
     * 143 after SIGTERM.
     */
    public static void exit(int status) {
        if (!shutdownInProgress()) {
            System.exit(status);
        }
    }

    /** The JDK has no query for it, but refuses a new hook once its shutdown has begun. */
    private static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
