package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.testing.IntegrationTest;
import io.streamanalytics.testing.Promtool;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The compose Prometheus' alerting rules: valid, loaded by its config, and each pinned by a promtool unit test that
 * makes it fire (with its exact labels and text) and shows a near miss on which it stays silent.
 */
@IntegrationTest
class AlertRulesTest {

    @Test
    void shouldBeValidRulesThatTheComposePrometheusLoads() throws Exception {
        Promtool.Result check = Promtool.run(
                ComposeProject.ALERT_RULES.getParent(),
                "check",
                "rules",
                ComposeProject.ALERT_RULES.getFileName().toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output())
                .contains("SUCCESS: " + ComposeProject.alertExpressions().size() + " rules found");

        assertThat(ComposeProject.yaml(ComposeProject.PROMETHEUS_CONFIG)
                        .path("rule_files")
                        .toString())
                .isEqualTo("[\"alerts.yml\"]");
        assertThat(ComposeProject.mounts("prometheus"))
                .containsEntry("./compose/prometheus/alerts.yml", "/etc/prometheus/alerts.yml");
    }

    @Test
    void shouldAlertOnEveryFailureTheSystemKnows() {
        assertThat(ComposeProject.alertExpressions().keySet())
                .containsExactly(
                        "ScrapeTargetDown",
                        "PipelineQueryNotActive",
                        "AnalyticsInputLagGrowing",
                        "ConsumerLagGrowing",
                        "WatermarkNotAdvancing",
                        "DeadLettersHigh",
                        "ConsumerNotReady",
                        "ConsumerNotMaterialising");
        JsonNode groups = ComposeProject.yaml(ComposeProject.ALERT_RULES).path("groups");
        groups.forEach(g -> g.path("rules").forEach(rule -> {
            String alert = rule.path("alert").asText();
            assertThat(rule.path("for").asText())
                    .as(alert + " waits before firing")
                    .matches("\\d+m");
            assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText())
                    .as(alert)
                    .isNotBlank();
            assertThat(rule.path("annotations").path("description").asText())
                    .as(alert)
                    .isNotBlank();
        }));
    }

    @Test
    void shouldPassThePromtoolUnitTestsThatPinEveryRule() throws Exception {
        JsonNode tests = ComposeProject.yaml(ComposeProject.ALERT_RULES_TEST);
        Path rules = ComposeProject.ALERT_RULES_TEST.resolveSibling(
                tests.path("rule_files").get(0).asText());
        assertThat(rules).isEqualTo(ComposeProject.ALERT_RULES);
        // Every rule has a case in which it fires and one (an earlier time or other series) in which it does not.
        Set<String> fired = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        tests.path("tests")
                .forEach(test -> test.path("alert_rule_test")
                        .forEach(t -> (t.path("exp_alerts").isEmpty() ? silent : fired)
                                .add(t.path("alertname").asText())));
        assertThat(fired)
                .isEqualTo(new TreeSet<>(ComposeProject.alertExpressions().keySet()));
        assertThat(silent).isEqualTo(fired);

        Promtool.Result result = Promtool.run(
                ComposeProject.ALERT_RULES_TEST.getParent(),
                "test",
                "rules",
                ComposeProject.ALERT_RULES_TEST.getFileName().toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }
}
