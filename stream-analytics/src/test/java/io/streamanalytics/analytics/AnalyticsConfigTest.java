package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamanalytics.analytics.pipelines.EventTimeParams;
import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.analytics.pipelines.Pipelines;
import io.streamanalytics.schemas.validate.EventTimeBounds;
import io.streamanalytics.schemas.validate.EventValidator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalyticsConfigTest {

    @Test
    void shouldUseDocumentedDefaultsWhenNothingIsSet() {
        AnalyticsConfig config = AnalyticsConfig.fromEnvironment(Map.of());

        assertThat(config.kafka()).containsEntry("bootstrap.servers", "localhost:9092");
        assertThat(config.checkpointDir()).isEqualTo("./checkpoints");
        assertThat(config.pipelines().keySet())
                .extracting(Pipeline::name)
                .containsExactly(
                        "impressions_per_minute",
                        "random_value_avg",
                        "hashtag_counts",
                        "voter_stats",
                        "scotsmen_per_district",
                        "scotsmen_bagpipes",
                        "conversions_per_capita",
                        "weather_daily");
        assertThat(config.pipelines()
                        .get(Pipelines.byName("scotsmen_per_district").orElseThrow()))
                .isEqualTo(new EventTimeParams(Duration.ofMinutes(3), Duration.ofMinutes(3), Duration.ofSeconds(30)));
        assertThat(config.sparkMaster()).isEmpty();
        assertThat(config.metricsPort()).isEqualTo(9402);
        assertThat(config.triggers())
                .isEqualTo(Map.of(
                        Pipelines.byName("impressions_per_minute").orElseThrow(), Duration.ofSeconds(5),
                        Pipelines.byName("random_value_avg").orElseThrow(), Duration.ofSeconds(5),
                        Pipelines.byName("hashtag_counts").orElseThrow(), Duration.ofSeconds(5),
                        Pipelines.byName("voter_stats").orElseThrow(), Duration.ofSeconds(30),
                        Pipelines.byName("scotsmen_per_district").orElseThrow(), Duration.ofSeconds(5),
                        Pipelines.byName("scotsmen_bagpipes").orElseThrow(), Duration.ofMinutes(1),
                        Pipelines.byName("conversions_per_capita").orElseThrow(), Duration.ofMinutes(1),
                        Pipelines.byName("weather_daily").orElseThrow(), Duration.ofMinutes(1)));
        assertThat(config.batchSchedule()).isEqualTo(AnalyticsConfig.BatchSchedule.ALIGNED);
        assertThat(config.shufflePartitions()).isEqualTo(2);
        assertThat(config.startingOffsets()).isEqualTo("earliest");
        assertThat(config.maxOffsetsPerTrigger()).isEqualTo(500_000L);
        assertThat(config.inputLimits())
                .isEqualTo(new EventValidator.Limits(65_536, new EventTimeBounds(Duration.ofMinutes(2))));
        assertThat(config.restartBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.restartBackoffMax()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.weatherDir()).isEqualTo("./weather");
        assertThat(config.weatherMaxFilesPerTrigger()).isEqualTo(3);
    }

    @Test
    void shouldApplyOverridesAndKeepCatalogueOrder() {
        AnalyticsConfig config = AnalyticsConfig.fromEnvironment(Map.of(
                "PIPELINES", "voter_stats, impressions_per_minute",
                "IMPRESSIONS_PER_MINUTE_WINDOW", "30s",
                "VOTER_STATS_SLIDE", "2 minutes",
                "VOTER_STATS_WATERMARK", "PT90S",
                "TRIGGER_INTERVAL", "500ms",
                "MAX_OFFSETS_PER_TRIGGER", "1000",
                "SPARK_MASTER", "spark://127.0.0.1:7077",
                "STARTING_OFFSETS", "latest",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

        assertThat(config.pipelines().keySet())
                .extracting(Pipeline::name)
                .containsExactly("impressions_per_minute", "voter_stats");
        // Overriding a tumbling window's length keeps it tumbling.
        assertThat(config.pipelines()
                        .get(Pipelines.byName("impressions_per_minute").orElseThrow()))
                .isEqualTo(new EventTimeParams(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(1)));
        assertThat(config.pipelines().get(Pipelines.byName("voter_stats").orElseThrow()))
                .isEqualTo(new EventTimeParams(Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofSeconds(90)));
        assertThat(config.trigger(Pipelines.byName("impressions_per_minute").orElseThrow()))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(config.trigger(Pipelines.byName("voter_stats").orElseThrow()))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(config.maxOffsetsPerTrigger()).isEqualTo(1000L);
        assertThat(config.sparkMaster()).contains("spark://127.0.0.1:7077");
        assertThat(config.startingOffsets()).isEqualTo("latest");
        assertThat(config.kafka()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldLetAPipelinesOwnTriggerWinOverTheOneForAll() {
        AnalyticsConfig config = AnalyticsConfig.fromEnvironment(Map.of(
                "PIPELINES", "voter_stats,scotsmen_per_district,weather_daily",
                "TRIGGER_INTERVAL", "2s",
                "VOTER_STATS_TRIGGER_INTERVAL", "1m",
                "BATCH_SCHEDULE", "Staggered"));

        assertThat(config.trigger(Pipelines.byName("voter_stats").orElseThrow()))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(config.trigger(Pipelines.byName("scotsmen_per_district").orElseThrow()))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(config.trigger(Pipelines.byName("weather_daily").orElseThrow()))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(config.batchSchedule()).isEqualTo(AnalyticsConfig.BatchSchedule.STAGGERED);
        assertThat(config.describe())
                .contains("voter_stats(window=PT10M,slide=PT5M,watermark=PT1M,trigger=PT1M)")
                .contains("batchSchedule=STAGGERED");
    }

    @Test
    void shouldTakeTheInputLimitsAndRestartBackoffFromTheEnvironment() {
        AnalyticsConfig config = AnalyticsConfig.fromEnvironment(Map.of(
                "MAX_RECORD_BYTES", "1024",
                "MAX_EVENT_TIME_AHEAD", "30s",
                "RESTART_BACKOFF", "500ms",
                "RESTART_BACKOFF_MAX", "5s"));

        assertThat(config.inputLimits())
                .isEqualTo(new EventValidator.Limits(1024, new EventTimeBounds(Duration.ofSeconds(30))));
        assertThat(config.restartBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.restartBackoffMax()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldReportEveryInvalidSettingAtOnce() {
        assertThatThrownBy(() -> AnalyticsConfig.fromEnvironment(Map.ofEntries(
                        Map.entry("PIPELINES", "voter_stats,nope"),
                        Map.entry("METRICS_PORT", "abc"),
                        Map.entry("TRIGGER_INTERVAL", "soon"),
                        Map.entry("VOTER_STATS_SLIDE", "20m"),
                        Map.entry("VOTER_STATS_TRIGGER_INTERVAL", "0s"),
                        Map.entry("BATCH_SCHEDULE", "sometimes"),
                        Map.entry("MAX_OFFSETS_PER_TRIGGER", "0"),
                        Map.entry("MAX_RECORD_BYTES", "0"),
                        Map.entry("RESTART_BACKOFF", "1m"),
                        Map.entry("RESTART_BACKOFF_MAX", "10s"),
                        Map.entry("STARTING_OFFSETS", "yesterday"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PIPELINES: unknown pipeline 'nope'")
                .hasMessageContaining("METRICS_PORT must be an integer")
                .hasMessageContaining("TRIGGER_INTERVAL: not a duration")
                .hasMessageContaining("VOTER_STATS_*: slide must be positive and at most the window")
                .hasMessageContaining("VOTER_STATS_TRIGGER_INTERVAL must be positive, got PT0S")
                .hasMessageContaining("BATCH_SCHEDULE must be one of [aligned, staggered], got 'sometimes'")
                .hasMessageContaining("MAX_OFFSETS_PER_TRIGGER must be between 1")
                .hasMessageContaining("STARTING_OFFSETS must be earliest, latest")
                .hasMessageContaining("MAX_RECORD_BYTES must be between 1")
                .hasMessageContaining("RESTART_BACKOFF_MAX (PT10S) must be at least RESTART_BACKOFF (PT1M)");
    }

    @Test
    void shouldRedactSecretsWhenDescribed() {
        AnalyticsConfig config = AnalyticsConfig.fromEnvironment(Map.of(
                "KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.plain.PlainLoginModule password=\"hunter2\";",
                "KAFKA_SSL_KEYSTORE_PASSWORD", "hunter3"));

        assertThat(config.describe())
                .doesNotContain("hunter2")
                .doesNotContain("hunter3")
                .contains("sasl.jaas.config=[redacted]")
                .contains("bootstrap.servers=localhost:9092");
    }
}
