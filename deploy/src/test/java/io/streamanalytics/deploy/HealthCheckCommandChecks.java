package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The compose health checks of the three services, run as Docker would (CMD form), against the running services. */
abstract class HealthCheckCommandChecks {

    @ParameterizedTest
    @FieldSource("io.streamanalytics.deploy.ComposeProject#SERVICES")
    void shouldReportTheRunningServiceHealthy(String service, RunningServices services) {
        int composePort = ServiceConfigs.read(service, ComposeProject.environment(service)).port();
        JsonNode test = ComposeProject.service(service).path("healthcheck").path("test");
        assertThat(test.get(0).asText()).isEqualTo("CMD");
        List<String> command = new ArrayList<>();
        for (int i = 1; i < test.size(); i++) {
            // The container's port becomes the one this test runs the service on.
            command.add(test.get(i).asText().replace("/" + composePort, "/" + services.port(service)));
        }
        assertThat(String.join(" ", command)).contains("/" + services.port(service));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            services.assertAlive();
            Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
            assertThat(check.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        });
    }
}
