package io.streamanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamanalytics.schemas.results.PipelineResult;
import io.streamanalytics.schemas.results.PipelineResults;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.testing.HeadlessChromium;
import io.streamanalytics.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The README's run command, as a user runs it, on a deterministic simulator: results reach the REST API within a
 * minute, the whole chain (simulator, Kafka, Spark, database, REST) yields exactly the values a plain-Java reference
 * computes from the same events, the dashboard draws every chart (the README's screenshot), and Ctrl-C stops every
 * process.
 */
@IntegrationTest
class LocalStackTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> JARS = List.of(
            "embedded-kafka/target/embedded-kafka.jar",
            "producer-simulator/target/producer-simulator.jar",
            "stream-analytics/target/stream-analytics.jar",
            "results-consumer/target/results-consumer.jar");

    @TempDir
    Path runDir;

    @Test
    void shouldRunTheWholeChainToExactResultsAndStopEverythingOnCtrlC() throws Exception {
        for (String jar : JARS) {
            assertThat(ROOT.resolve(jar))
                    .as("built by the reactor before this module (run mvn verify from the root)")
                    .exists();
        }
        int httpPort = FreePorts.next();
        // Kept in target/ after the run: what to read when this test fails.
        Path log = Files.createDirectories(Path.of("target")).resolve("local-stack.log");
        ProcessBuilder builder = new ProcessBuilder("bash", "deploy/run-local.sh")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(ReferenceResults.DETERMINISTIC_SIMULATOR);
        builder.environment()
                .putAll(Map.of(
                        "BROKER_PORT",
                        Integer.toString(FreePorts.next()),
                        "BROKER_CONTROLLER_PORT",
                        Integer.toString(FreePorts.next()),
                        "SIMULATOR_METRICS_PORT",
                        Integer.toString(FreePorts.next()),
                        "ANALYTICS_METRICS_PORT",
                        Integer.toString(FreePorts.next()),
                        "HTTP_PORT",
                        Integer.toString(httpPort),
                        "LOCAL_RUN_DIR",
                        runDir.resolve("state").toString()));
        long started = System.nanoTime();
        Process stack = builder.start();
        try {
            // Until the consumer listens, connections are refused: that is waiting, not failing.
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(stack.isAlive())
                                .as("stack running; log:%n%s", Files.readString(log))
                                .isTrue();
                        assertThat(ResultsApi.results(httpPort, PipelineResults.SCOTSMEN_PER_DISTRICT))
                                .isNotEmpty();
                    });
            System.out.printf(
                    "first results on the REST API %d s after the start%n",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
            assertThat(Files.readString(log)).contains("Dashboard          http://localhost:" + httpPort + "/");

            SimulatorConfig config = ReferenceResults.deterministicSimulatorConfig();
            Map<String, Map<String, Double>> expectedScotsmen = ReferenceResults.scotsmenPerDistrict(config);
            Map<String, Map<String, Double>> expectedImpressions = ReferenceResults.impressionsPerMinute(config);
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(3))
                    .untilAsserted(() -> {
                        assertThat(stack.isAlive())
                                .as("stack running; log:%n%s", Files.readString(log))
                                .isTrue();
                        assertThat(ResultsApi.metricsByKey(
                                        httpPort, PipelineResults.SCOTSMEN_PER_DISTRICT, expectedScotsmen))
                                .isEqualTo(expectedScotsmen);
                        assertThat(ResultsApi.metricsByKey(
                                        httpPort, PipelineResults.IMPRESSIONS_PER_MINUTE, expectedImpressions))
                                .isEqualTo(expectedImpressions);
                    });

            screenshotDashboard(httpPort);

            // The simulator has sent its finite events and ended; broker, analytics and consumer keep running.
            assertThat(Files.readString(log)).contains("The simulator has sent all its events");
            // The services are the script's own children. Not its descendants: a service's own child process (Spark
            // starts rm for its temporary directories; Hadoop, without its native library, chmod) is an image of the
            // JVM until it execs, so it would count as one more java process.
            List<ProcessHandle> services = stack.children()
                    .filter(p -> p.info().command().orElse("").endsWith("java"))
                    .toList();
            assertThat(services).hasSize(3);
            new ProcessBuilder("kill", "-INT", Long.toString(stack.pid()))
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);

            assertThat(stack.waitFor(90, TimeUnit.SECONDS))
                    .as("stopped within 90 s")
                    .isTrue();
            assertThat(stack.exitValue()).isZero();
            assertThat(services).noneMatch(ProcessHandle::isAlive);
            assertThat(Files.readString(log))
                    .contains("Stopped.")
                    .contains("\"failed\":{\"bagpipe\":0,\"clickstream\":0,"
                            + "\"random-values\":0,\"scotsmen\":0,\"twitter\":0,\"voters\":0}");
            assertThat(weatherFiles()).hasSize(8);
        } finally {
            stack.descendants().forEach(ProcessHandle::destroyForcibly);
            stack.destroyForcibly();
        }
    }

    /**
     * The dashboard of this run as a person sees it, in headless Chromium, once every chart that this much event
     * time fills has drawn: the README's screenshot (docs/images/dashboard.png is a copy of this file).
     */
    private static void screenshotDashboard(int httpPort) throws IOException {
        ChromeDriver browser = HeadlessChromium.start(HeadlessChromium.options(1400, 2200));
        try {
            browser.get("http://127.0.0.1:" + httpPort + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofMinutes(2), Duration.ofMillis(500));
            // The hourly join writes nothing within five minutes of event time (append mode); its chart says so.
            for (PipelineResult pipeline : PipelineResults.ALL) {
                if (!pipeline.equals(PipelineResults.SCOTSMEN_BAGPIPES)) {
                    wait.withMessage("chart of " + pipeline.name() + " shows data")
                            .until(d -> Integer.parseInt(d.findElement(By.cssSelector(
                                                    "section[data-pipeline='" + pipeline.name() + "'] canvas"))
                                            .getDomAttribute("data-points"))
                                    > 0);
                }
            }
            Path target =
                    Files.createDirectories(Path.of("target", "screenshots")).resolve("dashboard.png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }

    private List<Path> weatherFiles() throws IOException {
        try (Stream<Path> files = Files.list(runDir.resolve("state/weather"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv"))
                    .toList();
        }
    }
}
