package io.streamanalytics.common;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamanalytics.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a Prometheus registry at {@code /metrics} (text format 0.0.4) on its own small HTTP/1.1 server: one request
 * per connection ({@code Connection: close}), {@code GET} and {@code HEAD} only, which is all Prometheus and a
 * health check need.
 *
 * <p>Why not the JDK's {@code HttpServer}: it reads a request on an executor thread with no read timeout other
 * than the JVM-wide {@code sun.net.httpserver.maxReqTime}, so one client that sends half a request holds a worker
 * for ever (with its former single worker: every scrape and the compose health check). Why not Jetty: this module
 * is on the classpath of the Spark analytics and of the simulator, and a Jetty here would sit beside Spark's own
 * for one GET. So: a blocking server with a few workers where every connection has a deadline
 * ({@link #CONNECTION_DEADLINE}) after which it is closed, whatever the client is doing (sending slowly, not
 * reading the answer); a connection that finds every worker and the short queue busy is closed at once.
 *
 * <p>With {@link #serveHealth} it also answers {@code /health} for a container health check.
 *
 * <p>The registry it serves also gets the JVM's meters (memory, GC pauses, threads, classes, CPU, uptime), so every
 * service that serves its metrics here shows them on the same dashboard row.
 */
public final class MetricsServer implements AutoCloseable {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Reading the request and writing the answer must both fit in this; a local scrape takes milliseconds. */
    static final Duration CONNECTION_DEADLINE = Duration.ofSeconds(5);

    static final int WORKERS = 4;
    /** Connections accepted while every worker is busy; beyond these a new connection is closed unanswered. */
    static final int QUEUED_CONNECTIONS = 16;

    static final int MAX_REQUEST_HEAD_BYTES = 8 * 1024;
    static final String PATH = "/metrics";
    static final String HEALTH_PATH = "/health";
    /**
     * A health check that takes longer counts as down: the answer must arrive well within a container health
     * check's timeout, and a check blocked behind a busy service (the analytics' query map is locked while its
     * pipelines start) must not hold a worker that a scrape needs.
     */
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final ServerSocket serverSocket;
    private final PrometheusMeterRegistry registry;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService deadlines;
    /** One thread: however many requests ask while a check is blocked, only one evaluation waits. */
    private final ExecutorService healthChecks;
    /** Listens to the JVM's GC notifications until closed. */
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    private volatile HealthCheck health;
    private CompletableFuture<Map<String, Boolean>> healthInFlight;

    private MetricsServer(ServerSocket serverSocket, PrometheusMeterRegistry registry) {
        this.serverSocket = serverSocket;
        this.registry = registry;
        this.workers = new ThreadPoolExecutor(
                WORKERS,
                WORKERS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED_CONNECTIONS),
                daemonThreads("metrics-http"));
        this.deadlines = Executors.newSingleThreadScheduledExecutor(daemonThreads("metrics-http-deadline"));
        this.healthChecks = Executors.newSingleThreadExecutor(daemonThreads("metrics-http-health"));
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Starts serving on {@code port} (0 picks a free one) on all interfaces, so Prometheus can reach it. */
    public static MetricsServer start(PrometheusMeterRegistry registry, int port) {
        ServerSocket serverSocket;
        try {
            serverSocket = new ServerSocket();
            serverSocket.setReuseAddress(true);
            serverSocket.bind(new InetSocketAddress(port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on port " + port, e);
        }
        MetricsServer server = new MetricsServer(serverSocket, registry);
        daemonThreads("metrics-http-accept").newThread(server::acceptLoop).start();
        return server;
    }

    /**
     * Serves {@code GET}/{@code HEAD /health} from now on: {@code 200} while {@code isUp} holds for every one of
     * {@code parts} (at least one), else {@code 503}; the JSON body names the parts up and down, e.g.
     * {@code {"status":"DOWN","up":["a"],"down":["b"]}}. Without this call {@code /health} is not served.
     */
    public void serveHealth(List<String> parts, Predicate<String> isUp) {
        health = new HealthCheck(List.copyOf(parts), isUp);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException e) {
            log.debug("closing the metrics server socket", e);
        }
        workers.shutdownNow();
        deadlines.shutdownNow();
        healthChecks.shutdownNow();
        gcMetrics.close();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    log.warn("Metrics server cannot accept a connection", e);
                }
                continue;
            }
            // The deadline starts at accept, so a connection that waits in the queue has less time, not more.
            ScheduledFuture<?> deadline = deadlines.schedule(
                    () -> closeQuietly(socket), CONNECTION_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            try {
                workers.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        deadline.cancel(false);
                        closeQuietly(socket);
                    }
                });
            } catch (RejectedExecutionException e) {
                deadline.cancel(false);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout((int) CONNECTION_DEADLINE.toMillis());
            String requestLine = readRequestHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (requestLine == null) {
                respond(out, "400 Bad Request", "text/plain; charset=utf-8", "bad request\n", true);
                return;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
                respond(out, "400 Bad Request", "text/plain; charset=utf-8", "bad request\n", true);
                return;
            }
            String path = parts[1].split("\\?", 2)[0];
            boolean head = parts[0].equals("HEAD");
            HealthCheck check = health;
            boolean healthPath = path.equals(HEALTH_PATH) && check != null;
            if (!path.equals(PATH) && !healthPath) {
                respond(out, "404 Not Found", "text/plain; charset=utf-8", "only " + PATH + " is served here\n", !head);
            } else if (!head && !parts[0].equals("GET")) {
                respond(out, "405 Method Not Allowed", "text/plain; charset=utf-8", "GET or HEAD only\n", true);
            } else if (healthPath) {
                Map<String, Object> answer = health(check);
                respond(
                        out,
                        answer.get("status").equals("UP") ? "200 OK" : "503 Service Unavailable",
                        "application/json",
                        Json.toJson(answer) + "\n",
                        !head);
            } else {
                respond(out, "200 OK", CONTENT_TYPE, registry.scrape(), !head);
            }
        } catch (SocketException e) {
            // The deadline closed the socket, or the client went away: nothing to answer.
        } catch (IOException e) {
            log.debug("Metrics request failed", e);
        }
    }

    private Map<String, Object> health(HealthCheck check) {
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            Map<String, Boolean> upByPart = evaluation(check).get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> up = new ArrayList<>();
            List<String> down = new ArrayList<>();
            upByPart.forEach((part, isUp) -> (isUp ? up : down).add(part));
            // Nothing to check is nothing running: not healthy.
            answer.put("status", down.isEmpty() && !up.isEmpty() ? "UP" : "DOWN");
            answer.put("up", up);
            answer.put("down", down);
        } catch (TimeoutException e) {
            answer.put("status", "DOWN");
            answer.put("error", "the health check did not answer within " + HEALTH_TIMEOUT.toMillis() + " ms");
        } catch (ExecutionException e) {
            answer.put("status", "DOWN");
            answer.put("error", "the health check failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.put("status", "DOWN");
            answer.put("error", "interrupted");
        }
        return answer;
    }

    /** The evaluation still running if there is one, else a new one. */
    private synchronized CompletableFuture<Map<String, Boolean>> evaluation(HealthCheck check) {
        if (healthInFlight == null || healthInFlight.isDone()) {
            healthInFlight = CompletableFuture.supplyAsync(
                    () -> {
                        Map<String, Boolean> upByPart = new LinkedHashMap<>();
                        check.parts()
                                .forEach(part -> upByPart.put(part, check.isUp().test(part)));
                        return upByPart;
                    },
                    healthChecks);
        }
        return healthInFlight;
    }

    private record HealthCheck(List<String> parts, Predicate<String> isUp) {}

    /**
     * Reads up to the blank line that ends the request head; returns the request line, or null if the head is
     * malformed, too long or cut off.
     */
    private static String readRequestHead(InputStream in) throws IOException {
        byte[] head = new byte[MAX_REQUEST_HEAD_BYTES];
        int length = 0;
        while (length < head.length) {
            int n = in.read(head, length, head.length - length);
            if (n < 0) {
                return null;
            }
            length += n;
            String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                end = text.indexOf("\n\n");
            }
            if (end >= 0) {
                return text.lines().findFirst().orElse(null);
            }
        }
        return null;
    }

    private static void respond(OutputStream out, String status, String contentType, String body, boolean withBody)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + status + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "Connection: close\r\n\r\n";
        out.write(headers.getBytes(StandardCharsets.ISO_8859_1));
        if (withBody) {
            out.write(bytes);
        }
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
