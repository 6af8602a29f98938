package io.streamanalytics.analytics.pipelines;

import static io.streamanalytics.analytics.pipelines.EventStream.ts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.analytics.SparkTestSession;
import io.streamanalytics.analytics.io.PopulationTable;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ScotsmenPipelinesTest {

    private final SparkSession spark = SparkTestSession.get();

    static Pipeline pipeline(String name) {
        return Pipelines.byName(name).orElseThrow();
    }

    @Test
    void shouldCountPerDistrictAndThreeMinuteWindowAndDropEventBehindWatermark() throws Exception {
        EventStream conversions = EventStream.of(spark, InputColumns.SCOTSMEN);
        try (ResultCollector results = ResultCollector.start(pipeline("scotsmen_per_district"),
                Pipelines.scotsmenPerDistrict(conversions.toDF(), Pipelines.SCOTSMEN_PER_DISTRICT_TIME))) {
            conversions.add(
                    new Object[] {"Lisboa", 5, ts("2024-12-03T10:00:10Z")},
                    new Object[] {"Lisboa", 3, ts("2024-12-03T10:02:59Z")},
                    new Object[] {"Porto", 4, ts("2024-12-03T10:01:00Z")},
                    // Exactly on a boundary: belongs to the window that starts there.
                    new Object[] {"Porto", 1, ts("2024-12-03T10:03:00Z")});
            results.process();
            // Max event time 10:04:00, so the watermark becomes 10:03:30 and window [10:00, 10:03) is closed.
            conversions.add(new Object[] {"Lisboa", 7, ts("2024-12-03T10:04:00Z")});
            results.process();
            conversions.add(
                    new Object[] {"Lisboa", 100, ts("2024-12-03T10:02:50Z")},
                    new Object[] {"Lisboa", 2, ts("2024-12-03T10:03:40Z")});
            results.process();

            Map<String, JsonNode> latest = results.latest();
            assertThat(latest).containsOnlyKeys(
                    "scotsmen_per_district|2024-12-03T10:00:00Z|Lisboa",
                    "scotsmen_per_district|2024-12-03T10:00:00Z|Porto",
                    "scotsmen_per_district|2024-12-03T10:03:00Z|Lisboa",
                    "scotsmen_per_district|2024-12-03T10:03:00Z|Porto");
            JsonNode lisboa = results.get("scotsmen_per_district|2024-12-03T10:00:00Z|Lisboa");
            assertThat(lisboa.get("pipeline").asText()).isEqualTo("scotsmen_per_district");
            assertThat(lisboa.get("window_start").asText()).isEqualTo("2024-12-03T10:00:00Z");
            assertThat(lisboa.get("window_end").asText()).isEqualTo("2024-12-03T10:03:00Z");
            assertThat(lisboa.get("district").asText()).isEqualTo("Lisboa");
            assertThat(lisboa.get("event_count").asLong()).isEqualTo(2);
            assertThat(lisboa.get("total_new_scotsmen").asLong()).isEqualTo(8);
            assertThat(lisboa.get("average_new_scotsmen").asDouble()).isEqualTo(4.0);
            assertThat(lisboa.has("emitted_at")).isTrue();
            JsonNode lisboaLater = results.get("scotsmen_per_district|2024-12-03T10:03:00Z|Lisboa");
            assertThat(lisboaLater.get("event_count").asLong()).isEqualTo(2);
            assertThat(lisboaLater.get("total_new_scotsmen").asLong()).isEqualTo(9);
            assertThat(lisboaLater.get("average_new_scotsmen").asDouble()).isEqualTo(4.5);
            assertThat(results.get("scotsmen_per_district|2024-12-03T10:00:00Z|Porto").get("total_new_scotsmen")
                    .asLong()).isEqualTo(4);
            assertThat(results.get("scotsmen_per_district|2024-12-03T10:03:00Z|Porto").get("event_count").asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void shouldJoinSalesFromTheConversionMinuteToFiveMinutesAfterAndSumPerHour() throws Exception {
        SparkSession session = spark.newSession();
        Pipelines.SCOTSMEN_BAGPIPES_SESSION_CONF.forEach(session.conf()::set);
        EventStream conversions = EventStream.of(session, InputColumns.SCOTSMEN);
        EventStream sales = EventStream.of(session, InputColumns.BAGPIPE);
        Dataset<Row> joined = Pipelines.scotsmenBagpipes(conversions.toDF(), sales.toDF(),
                Pipelines.SCOTSMEN_BAGPIPES_TIME);
        try (ResultCollector results = ResultCollector.start(pipeline("scotsmen_bagpipes"), joined)) {
            conversions.add(new Object[] {"Lisboa", 10, ts("2024-12-03T10:00:30Z")});
            sales.add(
                    new Object[] {"Lisboa", 1, ts("2024-12-03T10:00:45Z")}, // same minute: lower bound, joins
                    new Object[] {"Lisboa", 2, ts("2024-12-03T10:05:59Z")}, // minute 10:05 = +5 min: joins
                    new Object[] {"Lisboa", 4, ts("2024-12-03T10:06:00Z")}, // minute 10:06: too late
                    new Object[] {"Lisboa", 8, ts("2024-12-03T09:59:59Z")}, // before the conversion minute
                    new Object[] {"Porto", 16, ts("2024-12-03T10:01:00Z")}); // other district
            results.process();
            // The watermark now follows the later input, sales: 10:06 - 1 min = 10:05. A conversion in minute
            // 10:06 joins the sale still held in state (minutes 10:06..10:11 match 10:06 only); one in minute 10:03
            // is at or behind the watermark and dropped, the price of not letting the slower input hold results back.
            conversions.add(
                    new Object[] {"Lisboa", 1, ts("2024-12-03T10:06:10Z")},
                    new Object[] {"Lisboa", 1000, ts("2024-12-03T10:03:10Z")});
            results.process();
            assertThat(results.latest()).as("append mode: nothing before the hour is closed").isEmpty();
            // Conversions alone move the watermark ("max" policy) to 11:09; the join passes on a watermark 5 min
            // (its time bound) lower, 11:04, which is past the hour's end: the hour is closed and emitted.
            conversions.add(new Object[] {"Lisboa", 1, ts("2024-12-03T11:10:00Z")});
            results.process();

            assertThat(results.latest()).containsOnlyKeys("scotsmen_bagpipes|2024-12-03T10:00:00Z|Lisboa");
            JsonNode lisboa = results.get("scotsmen_bagpipes|2024-12-03T10:00:00Z|Lisboa");
            assertThat(lisboa.get("window_end").asText()).isEqualTo("2024-12-03T11:00:00Z");
            assertThat(lisboa.get("total_new_scotsmen").asLong()).isEqualTo(10 + 10 + 1);
            assertThat(lisboa.get("total_bagpipe_sales").asLong()).isEqualTo(1 + 2 + 4);
        }
    }

    @Test
    void shouldDivideByCensusPopulationOverSlidingHourWindows() throws Exception {
        EventStream conversions = EventStream.of(spark, InputColumns.SCOTSMEN);
        Dataset<Row> perCapita = Pipelines.conversionsPerCapita(conversions.toDF(),
                PopulationTable.load(spark), Pipelines.CONVERSIONS_PER_CAPITA_TIME);
        try (ResultCollector results = ResultCollector.start(pipeline("conversions_per_capita"), perCapita)) {
            conversions.add(
                    new Object[] {"Lisboa", 100, ts("2024-12-03T10:05:00Z")},
                    new Object[] {"Lisboa", 50, ts("2024-12-03T10:12:00Z")},
                    new Object[] {"Beja", 10, ts("2024-12-03T10:05:00Z")},
                    new Object[] {"Atlantis", 7, ts("2024-12-03T10:05:00Z")}); // no population: inner join drops it
            results.process();

            Map<String, JsonNode> latest = results.latest();
            // 1-hour windows every 10 minutes: 10:05 lies in those starting 09:10..10:00, 10:12 in 09:20..10:10.
            assertThat(latest.keySet().stream().filter(k -> k.endsWith("|Lisboa"))).hasSize(7);
            assertThat(latest.keySet().stream().filter(k -> k.endsWith("|Beja"))).hasSize(6);
            assertThat(latest.keySet()).allMatch(k -> k.endsWith("|Lisboa") || k.endsWith("|Beja"));

            JsonNode both = results.get("conversions_per_capita|2024-12-03T10:00:00Z|Lisboa");
            assertThat(both.get("window_end").asText()).isEqualTo("2024-12-03T11:00:00Z");
            assertThat(both.get("pop").asLong()).isEqualTo(2_250_533L);
            assertThat(both.get("total_new_scotsmen").asLong()).isEqualTo(150);
            assertThat(both.get("cumulative_ratio").asDouble()).isEqualTo(150.0 / 2_250_533);
            assertThat(results.get("conversions_per_capita|2024-12-03T09:10:00Z|Lisboa").get("cumulative_ratio")
                    .asDouble()).isEqualTo(100.0 / 2_250_533);
            assertThat(results.get("conversions_per_capita|2024-12-03T10:10:00Z|Lisboa").get("cumulative_ratio")
                    .asDouble()).isEqualTo(50.0 / 2_250_533);
            assertThat(results.get("conversions_per_capita|2024-12-03T10:00:00Z|Beja").get("cumulative_ratio")
                    .asDouble()).isEqualTo(10.0 / 152_758);
        }
    }
}
