package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSupervisorTest {

    @Test
    void shouldDoubleTheRestartBackoffPerFailureInARowUpToTheMaximum() {
        AnalyticsConfig config =
                AnalyticsConfig.fromEnvironment(Map.of("RESTART_BACKOFF", "2s", "RESTART_BACKOFF_MAX", "10s"));
        PipelineSupervisor supervisor =
                new PipelineSupervisor(null, config, new SimpleMeterRegistry(), Clock.systemUTC());

        assertThat(supervisor.backoff(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(supervisor.backoff(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(supervisor.backoff(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(supervisor.backoff(4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(supervisor.backoff(1_000)).isEqualTo(Duration.ofSeconds(10));
    }
}
