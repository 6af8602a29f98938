package io.streamanalytics.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.results.PipelineResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A pipeline's results as the results-consumer's REST API serves them, in the shape {@link ReferenceResults} computes. */
final class ResultsApi {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ResultsApi() {}

    /** The pipeline's result rows; none while the API does not answer 200 (still starting). */
    static List<JsonNode> results(int httpPort, PipelineResult pipeline) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + httpPort + "/api/results/" + pipeline.name() + "?limit=10000"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return List.of();
        }
        List<JsonNode> rows = new ArrayList<>();
        Json.MAPPER.readTree(response.body()).path("results").forEach(rows::add);
        return rows;
    }

    /** Result rows as key to the metrics the expectation names, rounded like it. */
    static Map<String, Map<String, Double>> metricsByKey(
            int httpPort, PipelineResult pipeline, Map<String, Map<String, Double>> expected)
            throws IOException, InterruptedException {
        Map<String, Map<String, Double>> actual = new TreeMap<>();
        for (JsonNode row : results(httpPort, pipeline)) {
            List<String> groups = pipeline.groupFields().stream()
                    .map(f -> row.path(f).asText())
                    .toList();
            String key = pipeline.key(row.path(PipelineResult.WINDOW_START).asText(), groups);
            Map<String, Double> metrics = new HashMap<>();
            expected.getOrDefault(key, Map.of())
                    .keySet()
                    .forEach(f ->
                            metrics.put(f, ReferenceResults.round(row.path(f).asDouble())));
            actual.put(key, metrics);
        }
        return actual;
    }
}
