package io.streamanalytics.consumer.ingest;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a thread that polls one Kafka consumer until asked to stop, shared by the {@link Materialiser} and the
 * {@link RawValuesTail}. The consumer is polled and closed by that thread only (it is not thread-safe); another thread
 * asks for the stop by waking the consumer, which ends a poll in progress with a {@code WakeupException}.
 */
final class PollLoop {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<?, ?> consumer;
    private final String name;
    private final Duration stopTimeout;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);

    /** @param stopTimeout how long {@link #stop()} waits for the loop's thread to end */
    PollLoop(Consumer<?, ?> consumer, String name, Duration stopTimeout) {
        this.consumer = consumer;
        this.name = name;
        this.stopTimeout = stopTimeout;
    }

    /** True until a stop is requested. */
    boolean running() {
        return stopRequested.getCount() > 0;
    }

    /** Waits this long, or less if a stop is requested meanwhile. */
    void pause(Duration duration) throws InterruptedException {
        stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called last by the loop's thread, whatever ended the loop: closes the consumer. */
    void end() {
        try {
            consumer.close(CLOSE_TIMEOUT);
        } finally {
            ended.countDown();
        }
    }

    /** True once the loop's thread has ended. */
    boolean hasEnded() {
        return ended.getCount() == 0;
    }

    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** From any thread: asks the loop to stop and waits for it, at most the stop timeout. */
    void stop() {
        stopRequested.countDown();
        consumer.wakeup();
        try {
            if (!ended.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("The {} did not stop within {}", name, stopTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
