package io.streamanalytics.consumer.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JsonMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamanalytics.common.MetricsServer;
import io.streamanalytics.consumer.ingest.IngestStatus;
import io.streamanalytics.consumer.ingest.ProblemSample;
import io.streamanalytics.consumer.ingest.Readiness;
import io.streamanalytics.consumer.store.PipelineCatalog;
import io.streamanalytics.consumer.store.ResultQuery;
import io.streamanalytics.consumer.store.ResultStore;
import io.streamanalytics.consumer.store.StoreException;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: dashboard ({@code /}), REST API ({@code /api/...}, described in {@code /api/openapi.yaml}), live
 * events ({@code /api/stream}), Prometheus metrics and health. Bad parameters get 400 and unknown pipelines 404,
 * each with a JSON {@code {"error": ...}}.
 *
 * <p>One client cannot block the others: Jetty reads requests without holding a thread, every connection and
 * every blocking write has the idle timeout, each event stream has its own sender ({@link ResultStream}), and a
 * response is at most {@link #MAX_RESPONSE_CHARS} long.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    public static final int DEFAULT_LIMIT = 1_000;
    public static final int MAX_LIMIT = 10_000;
    static final String FROM = "from";
    static final String TO = "to";
    static final String LIMIT = "limit";
    static final int MAX_PARAM_CHARS = 200;
    private static final String ERROR_SENT = "results-consumer.error-sent";
    /** Result pages stop before this many characters ({@code "truncated": true}): 10 000 rows could be 1 GB. */
    public static final int MAX_RESPONSE_CHARS = 8_000_000;
    /**
     * Everything is served from this origin, and data reaches the page only as text (see dashboard.js); Chart.js
     * sets canvas styles from script, which {@code style-src 'self'} allows.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /**
     * What the HTTP side needs from the rest of the service: the poll loop only through what it reports, the raw
     * values only as the list the tail keeps, so the routes can be served over any store and any status.
     */
    public record Backend(
            ResultStore store,
            PipelineCatalog catalog,
            IngestStatus ingest,
            Supplier<List<RandomValueEvent>> rawValues,
            ResultStream stream,
            PrometheusMeterRegistry registry) {}

    private final Javalin app;

    private HttpApi(Javalin app) {
        this.app = app;
    }

    /**
     * Starts serving on all interfaces; port 0 picks a free one.
     *
     * @param idleTimeout a connection with no traffic for this long, or a write blocked this long, is closed
     */
    public static HttpApi start(int port, Duration idleTimeout, Backend backend) {
        Routes routes = new Routes(backend);
        Javalin app = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    // Blocking reads and writes of a request (an event stream nobody reads) time out too, not only idle
                    // ones.
                    config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(idleTimeout.toMillis()));
                    config.jetty.addConnector((server, http) -> {
                        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                        connector.setPort(port);
                        connector.setIdleTimeout(idleTimeout.toMillis());
                        return connector;
                    });
                    config.routes.before(ctx -> {
                        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                        ctx.header("X-Content-Type-Options", "nosniff");
                        ctx.header("Referrer-Policy", "no-referrer");
                    });
                    config.routes.before("/api/stream", ctx -> {
                        if (!backend.stream().hasRoom()) {
                            throw new Unavailable("too many event streams are open; try again later");
                        }
                    });
                    config.jsonMapper(new WireJsonMapper());
                    config.staticFiles.add("/public", Location.CLASSPATH);
                    config.staticFiles.enableWebjars();
                    config.routes.get("/health/live", routes::live);
                    config.routes.get("/health/ready", routes::ready);
                    config.routes.get("/metrics", routes::metrics);
                    config.routes.get("/api/openapi.yaml", routes::openApi);
                    config.routes.get("/api/pipelines", routes::pipelines);
                    config.routes.get("/api/results/{pipeline}", routes::results);
                    config.routes.get("/api/results/{pipeline}/latest", routes::latest);
                    config.routes.get("/api/raw-values", routes::rawValues);
                    config.routes.get("/api/problems", routes::problems);
                    config.routes.sse("/api/stream", backend.stream()::connect);
                    config.routes.exception(
                            BadRequest.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
                    config.routes.exception(
                            NotFound.class, (e, ctx) -> error(ctx, HttpStatus.NOT_FOUND, e.getMessage()));
                    config.routes.exception(
                            Unavailable.class, (e, ctx) -> error(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
                    config.routes.exception(StoreException.class, (e, ctx) -> {
                        log.error("Database error serving {}", ctx.path(), e);
                        error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "the results database is not available");
                    });
                    config.routes.error(HttpStatus.NOT_FOUND.getCode(), ctx -> {
                        // Unknown pipelines already have their JSON message; anything else gets one instead of
                        // Javalin's text.
                        if (ctx.attribute(ERROR_SENT) == null) {
                            error(ctx, HttpStatus.NOT_FOUND, "no such path: " + ctx.path());
                        }
                    });
                })
                .start();
        return new HttpApi(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void error(Context ctx, HttpStatus status, String message) {
        ctx.attribute(ERROR_SENT, true);
        ctx.status(status).json(Map.of("error", message));
    }

    /** The request handlers, each small enough to read at a glance. */
    private record Routes(Backend backend) {

        void live(Context ctx) {
            boolean alive = backend.ingest().isAlive();
            ctx.status(alive ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .json(Map.of("status", alive ? "UP" : "DOWN"));
        }

        void ready(Context ctx) {
            Readiness.State state = backend.ingest().readiness();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", state.status().name());
            if (state.reason() != null) {
                body.put("reason", state.reason());
            }
            ctx.status(state.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .json(body);
        }

        void metrics(Context ctx) {
            ctx.contentType(MetricsServer.CONTENT_TYPE)
                    .result(backend.registry().scrape());
        }

        void openApi(Context ctx) {
            try (InputStream in = HttpApi.class.getResourceAsStream("/openapi.yaml")) {
                ctx.contentType("application/yaml").result(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read openapi.yaml", e);
            }
        }

        void pipelines(Context ctx) {
            List<Map<String, Object>> pipelines = backend.store().pipelines().stream()
                    .map(p -> {
                        Map<String, Object> json = new LinkedHashMap<>();
                        json.put("name", p.pipeline());
                        json.put(
                                "catalogued",
                                backend.catalog().contract(p.pipeline()).isPresent());
                        json.put(
                                "group_fields",
                                backend.catalog().groupFields(p.pipeline()).orElse(List.of()));
                        json.put(
                                "metric_fields",
                                backend.catalog()
                                        .contract(p.pipeline())
                                        .map(c -> c.metricFields())
                                        .orElse(List.of()));
                        json.put("row_count", p.rowCount());
                        json.put(
                                "last_update",
                                p.lastUpdate() == null ? null : p.lastUpdate().toString());
                        return json;
                    })
                    .toList();
            ctx.json(Map.of("pipelines", pipelines));
        }

        void results(Context ctx) {
            String pipeline = knownPipeline(ctx);
            List<String> groupFields = backend.catalog().groupFields(pipeline).orElse(List.of());
            Set<String> allowed = new TreeSet<>(groupFields);
            allowed.addAll(List.of(FROM, TO, LIMIT));
            Map<String, String> params = singleParams(ctx, allowed);
            Instant from = timestamp(params, FROM);
            Instant to = timestamp(params, TO);
            if (from != null && to != null && !from.isBefore(to)) {
                throw new BadRequest("'from' must be before 'to'");
            }
            Map<String, String> groupFilters = new LinkedHashMap<>(params);
            groupFilters.keySet().removeAll(List.of(FROM, TO, LIMIT));
            ResultStore.QueryPage page =
                    backend.store().results(new ResultQuery(pipeline, from, to, groupFilters, limit(params)));
            respond(ctx, pipeline, page);
        }

        void latest(Context ctx) {
            String pipeline = knownPipeline(ctx);
            Map<String, String> params = singleParams(ctx, Set.of(LIMIT));
            respond(ctx, pipeline, backend.store().latest(pipeline, limit(params)));
        }

        void rawValues(Context ctx) {
            ctx.json(Map.of(
                    "values",
                    backend.rawValues().get().stream()
                            .map(v -> Map.of("ts", v.ts().toString(), "value", v.value()))
                            .toList()));
        }

        void problems(Context ctx) {
            ctx.json(Map.of(
                    "dead_letters", sample(backend.ingest().deadLetters()),
                    "malformed_results", sample(backend.ingest().malformedResults())));
        }

        private static Map<String, Object> sample(ProblemSample sample) {
            return Map.of("count_since_start", sample.count(), "recent", sample.recent());
        }

        private String knownPipeline(Context ctx) {
            String pipeline = ctx.pathParam("pipeline");
            if (backend.catalog().groupFields(pipeline).isEmpty()) {
                throw new NotFound("unknown pipeline '" + pipeline + "'; GET /api/pipelines lists them");
            }
            return pipeline;
        }

        /**
         * Stored values are JSON objects already; they go out as they are, not parsed and written again, as many as
         * fit in {@link #MAX_RESPONSE_CHARS}.
         */
        private static void respond(Context ctx, String pipeline, ResultStore.QueryPage page) {
            StringBuilder rows = new StringBuilder(page.payloads().size() * 200);
            int count = 0;
            for (String payload : page.payloads()) {
                if (rows.length() + payload.length() + 1 > MAX_RESPONSE_CHARS) {
                    break;
                }
                rows.append(count++ == 0 ? "" : ",").append(payload);
            }
            boolean truncated = page.truncated() || count < page.payloads().size();
            String body = "{\"pipeline\":" + Json.toJson(pipeline) + ",\"count\":" + count + ",\"truncated\":"
                    + truncated + ",\"results\":[" + rows + "]}";
            ctx.contentType("application/json").result(body);
        }

        private static Map<String, String> singleParams(Context ctx, Set<String> allowed) {
            Map<String, String> params = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
                if (!allowed.contains(param.getKey())) {
                    throw new BadRequest("unknown parameter '" + param.getKey() + "'; allowed: " + allowed);
                }
                if (param.getValue().size() != 1) {
                    throw new BadRequest("parameter '" + param.getKey() + "' must be given once");
                }
                String value = param.getValue().get(0);
                if (value.length() > MAX_PARAM_CHARS) {
                    throw new BadRequest("parameter '" + param.getKey() + "' is longer than " + MAX_PARAM_CHARS);
                }
                params.put(param.getKey(), value);
            }
            return params;
        }

        private static Instant timestamp(Map<String, String> params, String name) {
            String text = params.get(name);
            if (text == null) {
                return null;
            }
            Instant instant;
            try {
                instant = Json.parseTimestamp(text.trim());
            } catch (DateTimeParseException e) {
                throw new BadRequest("'" + name + "' must be an ISO-8601 timestamp such as 2024-12-03T10:12:00Z");
            }
            if (instant.isBefore(ResultStore.EARLIEST) || instant.isAfter(ResultStore.LATEST)) {
                throw new BadRequest("'" + name + "' must be between the years " + year(ResultStore.EARLIEST) + " and "
                        + year(ResultStore.LATEST));
            }
            return instant;
        }

        private static int year(Instant instant) {
            return instant.atOffset(ZoneOffset.UTC).getYear();
        }

        private static int limit(Map<String, String> params) {
            String text = params.get(LIMIT);
            if (text == null) {
                return DEFAULT_LIMIT;
            }
            try {
                int limit = Integer.parseInt(text.trim());
                if (limit >= 1 && limit <= MAX_LIMIT) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // answered below, the same as an out-of-range number
            }
            throw new BadRequest("'limit' must be an integer from 1 to " + MAX_LIMIT);
        }
    }

    /** Answered with 400 and the message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** Answered with 503 and the message. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** Answered with 404 and the message. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    /** Javalin's JSON goes through the one wire mapper of the system (Jackson 2.15, ISO-8601 timestamps). */
    private static final class WireJsonMapper implements JsonMapper {
        @Override
        public String toJsonString(Object obj, Type type) {
            return Json.toJson(obj);
        }
    }
}
