package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void shouldFindMetricNamesButNotFunctionsLabelsOrKeywords() {
        assertThat(
                        PromQl.metricNames(
                                "histogram_quantile(0.95, sum by (topic, le) (rate(simulator_send_latency_seconds_bucket{job=\"x\"}[1m])))"))
                .containsExactly("simulator_send_latency_seconds_bucket");
        assertThat(PromQl.metricNames("rate(a_sum[1m]) / rate(a_count[1m]) or on (pipeline) b_max"))
                .containsExactly("a_count", "a_sum", "b_max");
        assertThat(PromQl.metricNames("60 * sum without (kind) (increase(c_total{kind=~\"a|b\"}[5m])) > 1e3"))
                .containsExactly("c_total");
        assertThat(PromQl.metricNames("up{job=~\"producer-simulator|stream-analytics\"} == 1"))
                .containsExactly("up");
    }
}
