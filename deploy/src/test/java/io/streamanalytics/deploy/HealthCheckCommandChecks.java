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
        int composePort = ServiceConfigs.read(service, ComposeProject.environment(service))
                .port();
        // The container's port becomes the one this test runs the service on.
        List<String> command = command(service).stream()
                .map(arg -> arg.replace("/" + composePort, "/" + services.port(service)))
                .toList();
        assertThat(String.join(" ", command)).contains("/" + services.port(service));
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    services.assertAlive();
                    Process check = new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .start();
                    assertThat(check.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(check.exitValue())
                            .as(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                            .isZero();
                });
    }

    /** A service's compose health check: the command (CMD form) Docker runs inside its container. */
    static List<String> command(String service) {
        JsonNode test = ComposeProject.service(service).path("healthcheck").path("test");
        assertThat(test.get(0).asText()).as(service + " health check form").isEqualTo("CMD");
        List<String> command = new ArrayList<>();
        for (int i = 1; i < test.size(); i++) {
            command.add(test.get(i).asText());
        }
        return command;
    }
}
