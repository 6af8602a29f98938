package io.streamanalytics.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The docker-compose stack's files, read as data: the compose file, the Prometheus config and Grafana's provisioning. */
final class ComposeProject {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path COMPOSE_FILE = DEPLOY.resolve("docker-compose.yml");
    /** What {@code docker compose up} reads in the repository root: it includes {@link #COMPOSE_FILE}. */
    static final Path ROOT_COMPOSE_FILE = ROOT.resolve("compose.yaml");

    static final Path EXTERNAL_KAFKA_FILE = DEPLOY.resolve("compose/external-kafka.yml");
    static final Path PROMETHEUS_CONFIG = DEPLOY.resolve("compose/prometheus/prometheus.yml");
    static final Path ALERT_RULES = DEPLOY.resolve("compose/prometheus/alerts.yml");
    static final Path ALERT_RULES_TEST = DEPLOY.resolve("compose/prometheus/alerts.test.yml");
    static final Path GRAFANA = DEPLOY.resolve("compose/grafana");
    /** Run by the postgres image when the database is created: Grafana's read-only role. */
    static final Path GRAFANA_READER_SQL = DEPLOY.resolve("compose/postgres/grafana-reader.sql");

    /** The three services of this repository, by compose service name (= module name = Prometheus job). */
    static final List<String> SERVICES = List.of("producer-simulator", "stream-analytics", "results-consumer");

    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}");
    /** psql's variable references: :'name' (a literal) and :"name" (an identifier). */
    private static final Pattern PSQL_VARIABLE = Pattern.compile(":(['\"])([A-Za-z_][A-Za-z0-9_]*)\\1");

    private ComposeProject() {}

    static JsonNode compose() {
        return yaml(COMPOSE_FILE);
    }

    static JsonNode service(String name) {
        JsonNode service = compose().path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("no service " + name + " in " + COMPOSE_FILE);
        }
        return service;
    }

    /** A service's environment as compose passes it with no variables set in the shell: ${X:-default} is default. */
    static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service(service).path("environment");
        if (node.isArray()) {
            node.forEach(entry -> {
                String[] parts = entry.asText().split("=", 2);
                env.put(parts[0], parts.length > 1 ? interpolate(parts[1]) : "");
            });
        } else {
            node.fields()
                    .forEachRemaining(
                            e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
        }
        return env;
    }

    /** Compose's variable substitution with an empty shell environment. */
    static String interpolate(String value) {
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(3) == null ? "" : m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Container ports published by a service ("[address:]host:container" or "container"), to their default host port. */
    static Map<Integer, Integer> publishedPorts(String service) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        service(service).path("ports").forEach(p -> {
            String[] parts = interpolate(p.asText()).split(":");
            int container = Integer.parseInt(parts[parts.length - 1].split("/")[0]);
            int host = parts.length > 1 ? Integer.parseInt(parts[parts.length - 2]) : container;
            ports.put(container, host);
        });
        return ports;
    }

    /** "volume:/path[:ro]" entries of a service, as volume (or host path) to container path. */
    static Map<String, String> mounts(String service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        service(service).path("volumes").forEach(v -> {
            String[] parts = v.asText().split(":");
            mounts.put(parts[0], parts[1]);
        });
        return mounts;
    }

    /** The Dockerfile a built service uses, resolved against its build context. */
    static Path dockerfile(String service) {
        JsonNode build = service(service).path("build");
        Path context = COMPOSE_FILE
                .getParent()
                .resolve(build.path("context").asText("."))
                .normalize();
        return context.resolve(build.path("dockerfile").asText("Dockerfile")).normalize();
    }

    static Path buildContext(String service) {
        return COMPOSE_FILE
                .getParent()
                .resolve(service(service).path("build").path("context").asText("."))
                .normalize();
    }

    /** job name to its targets ("host:port"). */
    static Map<String, List<String>> prometheusTargets(JsonNode config) {
        Map<String, List<String>> targets = new LinkedHashMap<>();
        config.path("scrape_configs").forEach(job -> {
            List<String> list = new java.util.ArrayList<>();
            job.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> list.add(t.asText())));
            targets.put(job.path("job_name").asText(), list);
        });
        return targets;
    }

    /**
     * The repository's Prometheus config with each job's targets replaced, a short scrape interval, and its rule
     * files where they are in the repository (they are relative to the config file, which the caller writes elsewhere).
     */
    static String prometheusConfigFor(Map<String, String> targetByJob, String scrapeInterval) {
        ObjectNode config = (ObjectNode) yaml(PROMETHEUS_CONFIG);
        ((ObjectNode) config.with("global"))
                .put("scrape_interval", scrapeInterval)
                .put("scrape_timeout", scrapeInterval);
        com.fasterxml.jackson.databind.node.ArrayNode ruleFiles = config.putArray("rule_files");
        yaml(PROMETHEUS_CONFIG)
                .path("rule_files")
                .forEach(f -> ruleFiles.add(
                        PROMETHEUS_CONFIG.resolveSibling(f.asText()).toString()));
        config.path("scrape_configs").forEach(job -> {
            String target = targetByJob.get(job.path("job_name").asText());
            if (target != null) {
                job.path("static_configs").forEach(sc -> {
                    ((ObjectNode) sc).putArray("targets").add(target);
                });
            }
        });
        try {
            return YAML.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The statements of a psql script as JDBC can run them: psql's meta-commands (a backslash line such as
     * {@code \getenv}) dropped and its variable references replaced by the given values, quoted as psql quotes them.
     */
    static List<String> psqlStatements(Path script, Map<String, String> variables) {
        String text;
        try {
            text = Files.readString(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder sql = new StringBuilder();
        text.lines()
                .filter(line -> !line.startsWith("\\") && !line.startsWith("--"))
                .forEach(line -> sql.append(line).append('\n'));
        Matcher m = PSQL_VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(2));
            if (value == null) {
                throw new AssertionError(script + " uses psql variable " + m.group(2) + ", not given");
            }
            String quote = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(quote + value.replace(quote, quote + quote) + quote));
        }
        m.appendTail(out);
        return Stream.of(out.toString().split(";"))
                .map(String::strip)
                .filter(st -> !st.isEmpty())
                .toList();
    }

    static List<Path> grafanaProvisioningFiles() {
        try (Stream<Path> files = Files.walk(GRAFANA.resolve("provisioning"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** Every panel of a dashboard, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new java.util.ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        });
        return panels;
    }

    /** The PromQL expressions of every Prometheus panel of every dashboard. */
    static List<String> promQlExpressions() {
        List<String> expressions = new java.util.ArrayList<>();
        for (Path file : dashboardFiles()) {
            for (JsonNode panel : panels(json(file))) {
                panel.path("targets").forEach(t -> {
                    if (t.hasNonNull("expr")) {
                        expressions.add(t.get("expr").asText());
                    }
                });
            }
        }
        return expressions;
    }

    /** The expression of every alerting rule, by alert name. */
    static Map<String, String> alertExpressions() {
        Map<String, String> expressions = new LinkedHashMap<>();
        yaml(ALERT_RULES)
                .path("groups")
                .forEach(group -> group.path("rules")
                        .forEach(rule -> expressions.put(
                                rule.path("alert").asText(), rule.path("expr").asText())));
        return expressions;
    }

    /** The raw SQL of every PostgreSQL panel of every dashboard, by panel title. */
    static Map<String, String> sqlQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Path file : dashboardFiles()) {
            for (JsonNode panel : panels(json(file))) {
                panel.path("targets").forEach(t -> {
                    if (t.hasNonNull("rawSql")) {
                        queries.put(
                                panel.path("title").asText() + " / "
                                        + t.path("refId").asText(),
                                t.get("rawSql").asText());
                    }
                });
            }
        }
        return queries;
    }
}
