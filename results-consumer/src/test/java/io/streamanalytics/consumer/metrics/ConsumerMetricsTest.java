package io.streamanalytics.consumer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConsumerMetricsTest {

    static final Instant T0 = Instant.parse("2024-12-03T10:00:00Z");

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ConsumerMetrics metrics = new ConsumerMetrics(registry);

    @Test
    void shouldCountMaterialisedResultsPerCataloguedPipelineAndOthersAsOther() {
        metrics.materialised("scotsmen_per_district", T0, Map.of("district", "Braga"), Map.of(), null, T0);
        metrics.materialised("scotsmen_per_district", T0, Map.of("district", "Porto"), Map.of(), null, T0);
        metrics.materialised("sensors", T0, Map.of(), Map.of(), null, T0);

        assertThat(registry.get("results_consumer.materialised")
                        .tag("pipeline", "scotsmen_per_district")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("results_consumer.materialised")
                        .tag("pipeline", "other")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void shouldTimeTheDelayFromEmittedAtAndCountAClockAheadOfOursAsZero() {
        metrics.materialised("sensors", T0, Map.of(), Map.of(), T0, T0.plusSeconds(2));
        metrics.materialised("sensors", T0, Map.of(), Map.of(), T0.plusSeconds(5), T0);
        metrics.materialised("sensors", T0, Map.of(), Map.of(), null, T0);

        var delay = registry.get("results_consumer.end_to_end_delay").timer();
        assertThat(delay.count()).isEqualTo(2);
        assertThat(delay.max(TimeUnit.MILLISECONDS))
                .isEqualTo(Duration.ofSeconds(2).toMillis());
    }

    @Test
    void shouldKeepTheLatestWindowsTotalPerKnownDistrictOnly() {
        metrics.materialised(
                "scotsmen_per_district",
                T0.plusSeconds(60),
                Map.of("district", "Braga"),
                Map.of("total_new_scotsmen", 7.0, "event_count", 3.0),
                null,
                T0);
        metrics.materialised(
                "scotsmen_per_district", T0, Map.of("district", "Braga"), Map.of("total_new_scotsmen", 1.0), null, T0);
        metrics.materialised(
                "scotsmen_per_district",
                T0,
                Map.of("district", "Atlantis"),
                Map.of("total_new_scotsmen", 9.0),
                null,
                T0);

        assertThat(registry.get("results_consumer.district_latest")
                        .tag("district", "Braga")
                        .tag("metric", "total_new_scotsmen")
                        .gauge()
                        .value())
                .isEqualTo(7.0);
        assertThat(registry.find("results_consumer.district_latest")
                        .tag("metric", "event_count")
                        .gauge())
                .isNull();
        assertThat(registry.find("results_consumer.district_latest")
                        .tag("district", "Atlantis")
                        .gauge())
                .isNull();
    }
}
