package io.streamanalytics.analytics.pipelines;

import static io.streamanalytics.analytics.pipelines.MemoryInput.ts;
import static io.streamanalytics.analytics.pipelines.ScotsmenPipelinesTest.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.analytics.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class WindowedPipelinesTest {

    private final SparkSession spark = SparkTestSession.get();

    @Test
    void shouldSumImpressionsPerMinuteWindowDroppingLateAndKeepingOutOfOrderEvents() throws Exception {
        MemoryInput clicks = MemoryInput.of(spark, InputColumns.CLICKSTREAM);
        try (ResultCollector results = ResultCollector.start(
                pipeline("impressions_per_minute"),
                Pipelines.impressionsPerMinute(clicks.toDF(), Pipelines.IMPRESSIONS_PER_MINUTE_TIME))) {
            clicks.add(
                    new Object[] {1, 10, ts("2024-12-03T10:00:05Z")},
                    new Object[] {2, 20, ts("2024-12-03T10:00:59.999Z")},
                    new Object[] {3, 30, ts("2024-12-03T10:01:00Z")});
            results.process();
            // Watermark: 10:03:30 - 1 min = 10:02:30 from the next batch on.
            clicks.add(new Object[] {0, 5, ts("2024-12-03T10:03:30Z")});
            results.process();
            clicks.add(
                    new Object[] {1, 100, ts("2024-12-03T10:00:30Z")}, // its window ended before the watermark
                    new Object[] {4, 40, ts("2024-12-03T10:02:45Z")}, // out of order, but after the watermark
                    // Behind the watermark, but its window [10:02, 10:03) has not closed: Spark still counts it.
                    new Object[] {0, 7, ts("2024-12-03T10:02:10Z")});
            results.process();

            assertThat(results.latest()).hasSize(4);
            JsonNode first = results.get("impressions_per_minute|2024-12-03T10:00:00Z");
            assertThat(first.get("window_end").asText()).isEqualTo("2024-12-03T10:01:00Z");
            assertThat(first.get("event_count").asLong()).isEqualTo(2);
            assertThat(first.get("total_impressions").asLong()).isEqualTo(30);
            assertThat(first.get("total_clicks").asLong()).isEqualTo(3);
            assertThat(first.get("click_through_rate").asDouble()).isEqualTo(0.1);
            JsonNode second = results.get("impressions_per_minute|2024-12-03T10:01:00Z");
            assertThat(second.get("event_count").asLong()).isEqualTo(1);
            assertThat(second.get("total_impressions").asLong()).isEqualTo(30);
            JsonNode outOfOrder = results.get("impressions_per_minute|2024-12-03T10:02:00Z");
            assertThat(outOfOrder.get("event_count").asLong()).isEqualTo(2);
            assertThat(outOfOrder.get("total_impressions").asLong()).isEqualTo(47);
            assertThat(outOfOrder.get("total_clicks").asLong()).isEqualTo(4);
            assertThat(outOfOrder.get("click_through_rate").asDouble()).isEqualTo(4.0 / 47);
            JsonNode noClicks = results.get("impressions_per_minute|2024-12-03T10:03:00Z");
            assertThat(noClicks.get("click_through_rate").asDouble()).isEqualTo(0.0);
        }
    }

    @Test
    void shouldAverageRandomValuesOverFiveSecondWindows() throws Exception {
        MemoryInput values = MemoryInput.of(spark, InputColumns.RANDOM_VALUES);
        try (ResultCollector results = ResultCollector.start(
                pipeline("random_value_avg"),
                Pipelines.randomValueAverage(values.toDF(), Pipelines.RANDOM_VALUE_AVG_TIME))) {
            values.add(
                    new Object[] {ts("2024-12-03T10:00:00Z"), 4},
                    new Object[] {ts("2024-12-03T10:00:04.999Z"), 8},
                    new Object[] {ts("2024-12-03T10:00:05Z"), 1});
            results.process();

            assertThat(results.latest()).hasSize(2);
            JsonNode first = results.get("random_value_avg|2024-12-03T10:00:00Z");
            assertThat(first.get("window_end").asText()).isEqualTo("2024-12-03T10:00:05Z");
            assertThat(first.get("event_count").asLong()).isEqualTo(2);
            assertThat(first.get("avg_value").asDouble()).isEqualTo(6.0);
            assertThat(first.get("min_value").asInt()).isEqualTo(4);
            assertThat(first.get("max_value").asInt()).isEqualTo(8);
            JsonNode second = results.get("random_value_avg|2024-12-03T10:00:05Z");
            assertThat(second.get("event_count").asLong()).isEqualTo(1);
            assertThat(second.get("avg_value").asDouble()).isEqualTo(1.0);
        }
    }

    @Test
    void shouldCountHashtagsCaseInsensitivelyWithoutPunctuationOrBareHashes() throws Exception {
        MemoryInput tweets = MemoryInput.of(spark, InputColumns.TWITTER);
        try (ResultCollector results = ResultCollector.start(
                pipeline("hashtag_counts"), Pipelines.hashtagCounts(tweets.toDF(), Pipelines.HASHTAG_COUNTS_TIME))) {
            tweets.add(
                    new Object[] {"Loving #Spark and #spark! #", "en", ts("2024-12-03T10:00:10Z")},
                    new Object[] {"#Kafka, #kafka_streams\t#Spark's ## #!! a#b", "en", ts("2024-12-03T10:00:20Z")},
                    new Object[] {"Café: #Café\n#café", "fr", ts("2024-12-03T10:00:30Z")},
                    new Object[] {"no tags at all", "en", ts("2024-12-03T10:00:40Z")},
                    new Object[] {"#SPARK again", "en", ts("2024-12-03T10:01:00Z")});
            results.process();

            assertThat(results.latest())
                    .containsOnlyKeys(
                            "hashtag_counts|2024-12-03T10:00:00Z|#spark",
                            "hashtag_counts|2024-12-03T10:00:00Z|#kafka",
                            "hashtag_counts|2024-12-03T10:00:00Z|#kafka_streams",
                            "hashtag_counts|2024-12-03T10:00:00Z|#café",
                            "hashtag_counts|2024-12-03T10:01:00Z|#spark");
            assertThat(results.get("hashtag_counts|2024-12-03T10:00:00Z|#spark")
                            .get("count")
                            .asLong())
                    .isEqualTo(3);
            assertThat(results.get("hashtag_counts|2024-12-03T10:00:00Z|#kafka")
                            .get("count")
                            .asLong())
                    .isEqualTo(1);
            assertThat(results.get("hashtag_counts|2024-12-03T10:00:00Z|#kafka_streams")
                            .get("count")
                            .asLong())
                    .isEqualTo(1);
            assertThat(results.get("hashtag_counts|2024-12-03T10:00:00Z|#café")
                            .get("count")
                            .asLong())
                    .isEqualTo(2);
            JsonNode later = results.get("hashtag_counts|2024-12-03T10:01:00Z|#spark");
            assertThat(later.get("hashtag").asText()).isEqualTo("#spark");
            assertThat(later.get("count").asLong()).isEqualTo(1);
        }
    }

    @Test
    void shouldCountVotesByGenderAndByAgeBucketPerSlidingWindow() throws Exception {
        MemoryInput voters = MemoryInput.of(spark, InputColumns.VOTERS);
        try (ResultCollector results = ResultCollector.start(
                pipeline("voter_stats"), Pipelines.voterStats(voters.toDF(), Pipelines.VOTER_STATS_TIME))) {
            voters.add(
                    new Object[] {"female", 18, "Democrat", ts("2024-12-03T10:02:00Z")},
                    new Object[] {"male", 27, "Republican", ts("2024-12-03T10:04:00Z")},
                    new Object[] {"female", 28, "Democrat", ts("2024-12-03T10:07:00Z")});
            results.process();

            String prefix = "voter_stats|2024-12-03T";
            assertThat(results.latest())
                    .containsOnlyKeys(
                            prefix + "09:55:00Z|gender_party|female||Democrat",
                            prefix + "09:55:00Z|gender_party|male||Republican",
                            prefix + "10:00:00Z|gender_party|female||Democrat",
                            prefix + "10:00:00Z|gender_party|male||Republican",
                            prefix + "10:05:00Z|gender_party|female||Democrat",
                            prefix + "09:55:00Z|age_party||0|Democrat",
                            prefix + "09:55:00Z|age_party||0|Republican",
                            prefix + "10:00:00Z|age_party||0|Democrat",
                            prefix + "10:00:00Z|age_party||0|Republican",
                            prefix + "10:00:00Z|age_party||1|Democrat",
                            prefix + "10:05:00Z|age_party||1|Democrat");
            JsonNode women = results.get(prefix + "10:00:00Z|gender_party|female||Democrat");
            assertThat(women.get("window_end").asText()).isEqualTo("2024-12-03T10:10:00Z");
            assertThat(women.get("breakdown").asText()).isEqualTo("gender_party");
            assertThat(women.get("gender").asText()).isEqualTo("female");
            assertThat(women.get("age_bucket").isNull()).isTrue();
            assertThat(women.get("start_age").isNull()).isTrue();
            assertThat(women.get("count").asLong()).isEqualTo(2);
            assertThat(results.get(prefix + "09:55:00Z|gender_party|female||Democrat")
                            .get("count")
                            .asLong())
                    .isEqualTo(1);
            JsonNode youngest = results.get(prefix + "10:00:00Z|age_party||0|Democrat");
            assertThat(youngest.get("gender").isNull()).isTrue();
            assertThat(youngest.get("age_bucket").asInt()).isEqualTo(0);
            assertThat(youngest.get("start_age").asInt()).isEqualTo(18);
            assertThat(youngest.get("end_age").asInt()).isEqualTo(27);
            assertThat(youngest.get("count").asLong()).isEqualTo(1);
            JsonNode next = results.get(prefix + "10:05:00Z|age_party||1|Democrat");
            assertThat(next.get("start_age").asInt()).isEqualTo(28);
            assertThat(next.get("end_age").asInt()).isEqualTo(37);
        }
    }

    @Test
    void shouldAggregateWeatherReadingsPerUtcDay() throws Exception {
        StructType readingsSchema = new StructType()
                .add("timestamp", DataTypes.TimestampType)
                .add("min_temperature", DataTypes.DoubleType)
                .add("max_temperature", DataTypes.DoubleType)
                .add("precipitation", DataTypes.DoubleType);
        MemoryInput readings = MemoryInput.of(spark, readingsSchema);
        try (ResultCollector results = ResultCollector.start(
                pipeline("weather_daily"), Pipelines.weatherDaily(readings.toDF(), Pipelines.WEATHER_DAILY_TIME))) {
            readings.add(
                    new Object[] {ts("2024-12-03T00:00:00Z"), 5.0, 12.0, 0.1},
                    new Object[] {ts("2024-12-03T23:59:59Z"), 3.5, 14.0, 0.2},
                    new Object[] {ts("2024-12-04T00:00:00Z"), 1.0, 9.0, 0.0});
            results.process();

            assertThat(results.latest()).hasSize(2);
            JsonNode day = results.get("weather_daily|2024-12-03T00:00:00Z");
            assertThat(day.get("window_end").asText()).isEqualTo("2024-12-04T00:00:00Z");
            assertThat(day.get("reading_count").asLong()).isEqualTo(2);
            assertThat(day.get("min_temperature").asDouble()).isEqualTo(3.5);
            assertThat(day.get("max_temperature").asDouble()).isEqualTo(14.0);
            // 0.1 + 0.2 is 0.30000000000000004 in doubles; the decimal sum is exact.
            assertThat(day.get("total_precipitation").asDouble()).isEqualTo(0.3);
            JsonNode next = results.get("weather_daily|2024-12-04T00:00:00Z");
            assertThat(next.get("reading_count").asLong()).isEqualTo(1);
            assertThat(next.get("total_precipitation").asDouble()).isEqualTo(0.0);
        }
    }
}
