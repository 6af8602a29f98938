package io.streamanalytics.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner with a fake service and fake shutdown hooks: no JVM is shut down. */
@Timeout(20)
class ServiceRunnerTest {

    private final FakeHooks hooks = new FakeHooks();
    private final ServiceRunner runner = new ServiceRunner("test-service", hooks);

    @Test
    void shouldExitWithConfigurationAndStartNothingWhenTheSettingsAreInvalid() {
        AtomicBoolean started = new AtomicBoolean();

        ExitCode exit = runner.run(
                () -> {
                    throw new IllegalArgumentException("PORT must be a number, got x");
                },
                config -> config,
                config -> {
                    started.set(true);
                    return new FakeService();
                });

        assertThat(exit).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(exit.code()).isEqualTo(2);
        assertThat(started).isFalse();
        assertThat(hooks.added).isEmpty();
    }

    @Test
    void shouldExitFailedWithoutRegisteringAHookWhenTheStartFails() {
        ExitCode exit = runner.run(() -> "config", config -> config, config -> {
            throw new IllegalStateException("Kafka did not answer");
        });

        assertThat(exit).isEqualTo(ExitCode.FAILED);
        assertThat(exit.code()).isEqualTo(1);
        assertThat(hooks.added).isEmpty();
    }

    @Test
    void shouldHandTheConfigurationToTheStart() {
        FakeService service = FakeService.endingWith(ExitCode.OK);
        List<String> seen = new CopyOnWriteArrayList<>();

        runner.run(() -> "the config", config -> config, config -> {
            seen.add(config);
            return service;
        });

        assertThat(seen).containsExactly("the config");
    }

    @Test
    void shouldExitFailedAndStopTheServiceWhenItFailsWhileRunning() {
        FakeService service = FakeService.failingWith(new IllegalStateException("the poll loop died"));

        ExitCode exit = runner.run(() -> "config", config -> config, config -> service);

        assertThat(exit).isEqualTo(ExitCode.FAILED);
        assertThat(service.stops).hasValue(1);
        assertThat(hooks.removed).containsExactlyElementsOf(hooks.added);
    }

    @Test
    void shouldExitWithWhatTheServiceSaysOfItsEndWhenItEndsByItself() {
        // The simulator: a finite run ended, but a record was not acknowledged.
        FakeService service = FakeService.endingWith(ExitCode.FAILED);

        assertThat(runner.run(() -> "config", config -> config, config -> service))
                .isEqualTo(ExitCode.FAILED);
        assertThat(service.stops).hasValue(1);
    }

    @Test
    void shouldExitOkAfterANormalEndWithItsOneHookRemovedAndTheServiceStoppedOnce() {
        FakeService service = FakeService.endingWith(ExitCode.OK);

        ExitCode exit = runner.run(() -> "config", config -> config, config -> service);

        assertThat(exit).isEqualTo(ExitCode.OK);
        assertThat(exit.code()).isZero();
        assertThat(hooks.added).hasSize(1);
        assertThat(hooks.removed).containsExactlyElementsOf(hooks.added);
        assertThat(hooks.ran).isFalse();
        // Released by the runner after its end, since no hook will do it.
        assertThat(service.stops).hasValue(1);
    }

    @Test
    void shouldStopTheServiceFromItsHookOnShutdownAndLeaveTheHookRegistered() throws Exception {
        FakeService service = new FakeService();
        CompletableFuture<ExitCode> running =
                CompletableFuture.supplyAsync(() -> runner.run(() -> "config", config -> config, config -> service));
        assertThat(hooks.registered.await(10, TimeUnit.SECONDS))
                .as("hook registered")
                .isTrue();
        assertThat(running).isNotDone();

        hooks.shutDown();

        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCode.OK);
        assertThat(hooks.added).hasSize(1);
        assertThat(hooks.removed).isEmpty();
        // Stopped by the hook alone: the runner leaves the stop to it.
        assertThat(service.stops).hasValue(1);
    }

    @Test
    void shouldStopTheServiceAtOnceWhenTheShutdownBeganDuringItsStart() {
        FakeService service = new FakeService();

        ExitCode exit = runner.run(() -> "config", config -> config, config -> {
            hooks.shutDown();
            return service;
        });

        assertThat(exit).isEqualTo(ExitCode.OK);
        assertThat(hooks.added).isEmpty();
        assertThat(service.stops).hasValue(1);
    }

    /** Runs until it is stopped, unless made to end or fail by itself; counts its stops. */
    private static final class FakeService implements RunningService {
        private final CountDownLatch ended = new CountDownLatch(1);
        private final AtomicInteger stops = new AtomicInteger();
        private ExitCode outcome = ExitCode.OK;
        private RuntimeException failure;

        static FakeService endingWith(ExitCode outcome) {
            FakeService service = new FakeService();
            service.outcome = outcome;
            service.ended.countDown();
            return service;
        }

        static FakeService failingWith(RuntimeException failure) {
            FakeService service = new FakeService();
            service.failure = failure;
            service.ended.countDown();
            return service;
        }

        @Override
        public ExitCode awaitEnd() throws InterruptedException {
            ended.await();
            if (failure != null) {
                throw failure;
            }
            return outcome;
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
            ended.countDown();
        }
    }

    /** As the JVM's: once the shutdown has begun, a hook can be neither added nor removed. */
    private static final class FakeHooks implements ShutdownHooks {
        private final List<Thread> added = new CopyOnWriteArrayList<>();
        private final List<Thread> removed = new CopyOnWriteArrayList<>();
        private final CountDownLatch registered = new CountDownLatch(1);
        private final AtomicBoolean shuttingDown = new AtomicBoolean();
        private final AtomicBoolean ran = new AtomicBoolean();

        @Override
        public void add(Thread hook) {
            if (shuttingDown.get()) {
                throw new IllegalStateException("Shutdown in progress");
            }
            added.add(hook);
            registered.countDown();
        }

        @Override
        public void remove(Thread hook) {
            if (shuttingDown.get()) {
                throw new IllegalStateException("Shutdown in progress");
            }
            removed.add(hook);
        }

        /** As SIGTERM: every hook still registered runs on its own thread, and the shutdown waits for it. */
        void shutDown() {
            shuttingDown.set(true);
            for (Thread hook : added) {
                if (!removed.contains(hook)) {
                    ran.set(true);
                    hook.start();
                    try {
                        hook.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }
}
