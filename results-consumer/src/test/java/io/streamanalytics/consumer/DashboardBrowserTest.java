package io.streamanalytics.consumer;

import static io.streamanalytics.consumer.TestResults.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.testing.HeadlessChromium;
import io.streamanalytics.testing.IntegrationTest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver): every chart shows the
 * results this test sent through Kafka, a result sent later arrives by server-sent events, data is never
 * interpreted as HTML, and the browser logs no error. The screenshot is kept in target/screenshots.
 */
@IntegrationTest
class DashboardBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final Instant T0 = Instant.parse("2030-05-01T10:00:00Z");
    /** A district name that would run script if the page ever put data into HTML. */
    static final String HOSTILE = "<img src=x onerror=\"document.title='pwned'\">";

    static final List<String> PIPELINES = List.of(
            "impressions_per_minute",
            "random_value_avg",
            "scotsmen_per_district",
            "scotsmen_bagpipes",
            "conversions_per_capita",
            "hashtag_counts",
            "voter_stats",
            "weather_daily");

    static ResultsConsumerService service;
    static KafkaProducer<String, String> producer;
    static WebDriver browser;

    @BeforeAll
    static void start() throws InterruptedException {
        ChromeOptions options = HeadlessChromium.options(1400, 1800);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        producer = TestKafka.producer();
        sendRawValues();
        sendOneResultPerPipeline();
        service = ResultsConsumerService.start(ResultsConsumerConfig.fromEnvironment(TestKafka.consumerEnvironment()));
        browser = HeadlessChromium.start(options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
        producer.close();
    }

    @Test
    void shouldDrawEveryPipelineFromKafkaAndUpdateLiveWithoutConsoleErrors() throws Exception {
        browser.get("http://127.0.0.1:" + service.httpPort() + "/");

        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
        for (String pipeline : PIPELINES) {
            wait.withMessage("chart of " + pipeline + " shows data").until(d -> points(pipeline) > 0);
        }
        int scotsmenBefore = points("scotsmen_per_district");
        sendScotsmen("Setúbal", 9);
        wait.withMessage("a result sent after the page loaded is drawn")
                .until(d -> points("scotsmen_per_district") > scotsmenBefore);
        wait.withMessage("event stream is live")
                .until(d -> "live".equals(d.findElement(By.id("status")).getText()));
        saveScreenshot();

        assertThat(points("random_value_avg"))
                .as("20 original values and the 2 reduced ones of their time span, not the" + " one an hour earlier")
                .isEqualTo(22);
        assertThat(
                        ((ChromeDriver) browser)
                                .executeScript(
                                        "return Chart.getChart(document.querySelector("
                                                + "\"section[data-pipeline='weather_daily'] canvas\")).scales.x.ticks.map(t => t.label)"))
                .as("one tick per day")
                .isEqualTo(List.of("2030-05-01", "2030-05-02"));
        assertThat(browser.findElement(By.cssSelector("section[data-pipeline='scotsmen_bagpipes'] p.note"))
                        .getText())
                .isEqualTo(
                        "pipeline scotsmen_bagpipes. Hour 10:00–11:00 UTC. Each hour is written once, when it has closed"
                                + " (a stream-stream join writes in append mode): about 6 minutes of event time after its end."
                                + " The next is due after 12:06 event time.");
        assertThat(browser.findElements(By.tagName("img")))
                .as("data is never markup")
                .isEmpty();
        assertThat(browser.getTitle()).isEqualTo("Streaming analytics: live results");
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    private static int points(String pipeline) {
        return Integer.parseInt(browser.findElement(By.cssSelector("section[data-pipeline='" + pipeline + "'] canvas"))
                .getDomAttribute("data-points"));
    }

    private static void saveScreenshot() throws Exception {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "screenshots", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void sendRawValues() {
        for (int i = 0; i < 20; i++) {
            TestKafka.send(
                    producer,
                    Topics.RANDOM_VALUES.topicName(),
                    null,
                    Json.toJson(new RandomValueEvent(T0.plusSeconds(i), 40 + (i * 7) % 20)));
        }
    }

    private static void sendOneResultPerPipeline() {
        Duration minute = Duration.ofMinutes(1);
        for (int m = 0; m < 3; m++) {
            send(
                    "impressions_per_minute",
                    T0.plus(minute.multipliedBy(m)),
                    minute,
                    List.of(),
                    fields(
                            "event_count",
                            10,
                            "total_impressions",
                            100 + m * 20,
                            "total_clicks",
                            5 + m,
                            "click_through_rate",
                            0.05));
        }
        Duration fiveSeconds = Duration.ofSeconds(5);
        // Far before the original values kept: not on the chart that compares the two.
        send(
                "random_value_avg",
                T0.minus(Duration.ofHours(1)),
                fiveSeconds,
                List.of(),
                fields("event_count", 5, "avg_value", 10.0, "min_value", 1, "max_value", 19));
        send(
                "random_value_avg",
                T0,
                fiveSeconds,
                List.of(),
                fields("event_count", 5, "avg_value", 45.0, "min_value", 40, "max_value", 52));
        send(
                "random_value_avg",
                T0.plus(fiveSeconds),
                fiveSeconds,
                List.of(),
                fields("event_count", 5, "avg_value", 48.5, "min_value", 41, "max_value", 59));
        sendScotsmen("Lisboa", 12);
        sendScotsmen(HOSTILE, 3);
        Duration hour = Duration.ofHours(1);
        send(
                "scotsmen_bagpipes",
                T0,
                hour,
                List.of("Porto"),
                fields("district", "Porto", "total_new_scotsmen", 8, "total_bagpipe_sales", 5));
        send(
                "conversions_per_capita",
                T0,
                hour,
                List.of("Braga"),
                fields("district", "Braga", "pop", 848185, "total_new_scotsmen", 17, "cumulative_ratio", 0.00002));
        send("hashtag_counts", T0, minute, List.of("#spark"), fields("hashtag", "#spark", "count", 42));
        send("hashtag_counts", T0, minute, List.of("#kafka"), fields("hashtag", "#kafka", "count", 17));
        send(
                "voter_stats",
                T0,
                Duration.ofMinutes(10),
                List.of("gender_party", "F", "", "Green"),
                fields("breakdown", "gender_party", "gender", "F", "party", "Green", "count", 4));
        send(
                "weather_daily",
                Instant.parse("2030-05-01T00:00:00Z"),
                Duration.ofDays(1),
                List.of(),
                fields(
                        "reading_count",
                        24,
                        "min_temperature",
                        11.5,
                        "max_temperature",
                        23.0,
                        "total_precipitation",
                        1.2));
        send(
                "weather_daily",
                Instant.parse("2030-05-02T00:00:00Z"),
                Duration.ofDays(1),
                List.of(),
                fields(
                        "reading_count",
                        24,
                        "min_temperature",
                        12.0,
                        "max_temperature",
                        21.5,
                        "total_precipitation",
                        0.0));
    }

    private static void sendScotsmen(String district, int total) {
        TestKafka.send(
                producer,
                Topics.results("scotsmen_per_district"),
                TestResults.key("scotsmen_per_district", T0, List.of(district)),
                TestResults.scotsmen(T0, district, total, Instant.now()));
    }

    private static void send(
            String pipeline, Instant windowStart, Duration window, List<String> groups, Map<String, Object> fields) {
        TestKafka.send(
                producer,
                Topics.results(pipeline),
                TestResults.key(pipeline, windowStart, groups),
                TestResults.value(pipeline, windowStart, window, fields, Instant.now()));
    }
}
