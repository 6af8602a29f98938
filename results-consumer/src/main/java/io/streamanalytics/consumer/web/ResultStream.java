package io.streamanalytics.consumer.web;

import io.javalin.http.sse.SseClient;
import io.streamanalytics.consumer.ingest.ResultRecord;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Server-sent events for the dashboard: event {@code results} carries a JSON array of result values just
 * materialised, event {@code raw} a JSON array of raw random values. Sending happens on its own thread with a
 * bounded queue, so a slow browser can never hold up the poll loop. When the queue overflows (a large catch-up)
 * events are dropped and, once the queue has drained, one {@code reload} event tells the page to fetch its data
 * from the REST API again, so no result is silently missing from a chart.
 */
public final class ResultStream implements AutoCloseable {

    static final String RESULTS_EVENT = "results";
    static final String RAW_EVENT = "raw";
    static final String RELOAD_EVENT = "reload";
    /** One event carries at most this many results; a large catch-up batch sends its newest ones. */
    static final int MAX_RESULTS_PER_EVENT = 2_000;

    private final Queue<SseClient> clients = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(100), r -> {
                Thread thread = new Thread(r, "sse-sender");
                thread.setDaemon(true);
                return thread;
            }, (task, executor) -> overflowed.set(true));

    /** Registers a browser; the connection stays open until it goes away or the server stops. */
    void connect(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
    }

    public int clientCount() {
        return clients.size();
    }

    public void publishResults(List<ResultRecord> results) {
        List<ResultRecord> newest = results.size() > MAX_RESULTS_PER_EVENT
                ? results.subList(results.size() - MAX_RESULTS_PER_EVENT, results.size()) : results;
        StringBuilder data = new StringBuilder(newest.size() * 200).append('[');
        for (int i = 0; i < newest.size(); i++) {
            data.append(i == 0 ? "" : ",").append(newest.get(i).payload());
        }
        send(RESULTS_EVENT, data.append(']').toString());
    }

    public void publishRawValues(List<RandomValueEvent> values) {
        send(RAW_EVENT, Json.toJson(values.stream().map(v -> Map.of("ts", v.ts().toString(), "value", v.value())).toList()));
    }

    private void send(String event, String data) {
        if (clients.isEmpty()) {
            return;
        }
        sender.execute(() -> {
            sendToAll(event, data);
            if (sender.getQueue().isEmpty() && overflowed.compareAndSet(true, false)) {
                sendToAll(RELOAD_EVENT, "{}");
            }
        });
    }

    private void sendToAll(String event, String data) {
        clients.forEach(client -> {
            if (client.terminated()) {
                clients.remove(client);
            } else {
                client.sendEvent(event, data);
            }
        });
    }

    @Override
    public void close() {
        sender.shutdownNow();
        clients.forEach(client -> {
            try {
                client.close();
            } catch (RuntimeException e) {
                // The browser went away at the same moment; nothing is left to end.
            }
        });
        clients.clear();
    }
}
