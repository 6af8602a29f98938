package io.streamanalytics.consumer.web;

import io.javalin.http.sse.SseClient;
import io.streamanalytics.consumer.store.ResultRecord;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events for the dashboard: event {@code results} carries a JSON array of result values just
 * materialised, event {@code raw} a JSON array of raw random values, and {@code reload} tells the page to fetch
 * its data from the REST API again (sent instead of an event too large to send).
 *
 * <p>Every browser has its own sending thread and its own short queue, so a browser that stops reading holds up
 * nobody: the poll loop only ever offers to the queues, and a browser whose queue is full is dropped (its
 * EventSource reconnects and the page reloads its data on reconnecting). A write that blocks is ended by Jetty's
 * idle timeout. At most {@code maxClients} streams are open at once; each sends a comment every
 * {@link #HEARTBEAT} so that an idle stream is not taken for a dead connection.
 */
public final class ResultStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultStream.class);

    static final String RESULTS_EVENT = "results";
    static final String RAW_EVENT = "raw";
    static final String RELOAD_EVENT = "reload";
    /** One event carries at most this many results; a large catch-up batch sends its newest ones. */
    static final int MAX_RESULTS_PER_EVENT = 2_000;
    /** An event larger than this is replaced by {@code reload}: the REST API pages what a stream cannot. */
    static final int MAX_EVENT_CHARS = 1_000_000;
    /** Events waiting for one browser; a browser this far behind is not reading. */
    static final int QUEUE_PER_CLIENT = 64;
    /** Also how soon a browser that went away is noticed: only a write finds out. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private record Event(String name, String data) {}

    private final int maxClients;
    private final Set<Subscriber> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();

    public ResultStream(int maxClients) {
        this.maxClients = maxClients;
    }

    /** Whether another stream may open; checked before the response starts, so a refusal can still be a 503. */
    boolean hasRoom() {
        return clients.size() < maxClients;
    }

    /** Registers a browser; the connection stays open until it goes away, falls behind or the server stops. */
    void connect(SseClient client) {
        client.keepAlive();
        Subscriber subscriber = new Subscriber(client);
        client.onClose(subscriber::stop);
        // Two browsers may both have passed hasRoom(); the one over the cap is closed at once.
        clients.add(subscriber);
        if (clients.size() > maxClients) {
            subscriber.stop();
            return;
        }
        Thread thread = new Thread(subscriber, "sse-client-" + threadNumber.incrementAndGet());
        thread.setDaemon(true);
        subscriber.thread = thread;
        thread.start();
    }

    public int clientCount() {
        return clients.size();
    }

    public void publishResults(List<ResultRecord> results) {
        List<ResultRecord> newest = results.size() > MAX_RESULTS_PER_EVENT
                ? results.subList(results.size() - MAX_RESULTS_PER_EVENT, results.size())
                : results;
        StringBuilder data = new StringBuilder(newest.size() * 200).append('[');
        for (int i = 0; i < newest.size() && data.length() <= MAX_EVENT_CHARS; i++) {
            data.append(i == 0 ? "" : ",").append(newest.get(i).payload());
        }
        send(
                data.length() > MAX_EVENT_CHARS
                        ? new Event(RELOAD_EVENT, "{}")
                        : new Event(RESULTS_EVENT, data.append(']').toString()));
    }

    public void publishRawValues(List<RandomValueEvent> values) {
        send(new Event(
                RAW_EVENT,
                Json.toJson(values.stream()
                        .map(v -> Map.of("ts", v.ts().toString(), "value", v.value()))
                        .toList())));
    }

    private void send(Event event) {
        clients.forEach(client -> client.offer(event));
    }

    @Override
    public void close() {
        clients.forEach(Subscriber::stop);
        clients.clear();
    }

    /** One browser: its queue and the thread that writes to it. */
    private final class Subscriber implements Runnable {

        private final SseClient client;
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_PER_CLIENT);
        private volatile boolean stopped;
        private volatile Thread thread;

        Subscriber(SseClient client) {
            this.client = client;
        }

        void offer(Event event) {
            if (!queue.offer(event)) {
                log.info("Dropping an event stream client {} events behind", QUEUE_PER_CLIENT);
                stop();
            }
        }

        @Override
        public void run() {
            try {
                while (!stopped && !client.terminated()) {
                    Event event = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                    if (event == null) {
                        client.sendComment("heartbeat");
                    } else {
                        client.sendEvent(event.name(), event.data());
                    }
                }
            } catch (InterruptedException e) {
                // stopped
            } finally {
                stop();
            }
        }

        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            clients.remove(this);
            queue.clear();
            Thread sender = thread;
            if (sender != null && sender != Thread.currentThread()) {
                sender.interrupt();
            }
            try {
                client.close();
            } catch (RuntimeException e) {
                // The browser went away at the same moment; nothing is left to end.
            }
        }
    }
}
