package io.streamanalytics.analytics.pipelines;

import static io.streamanalytics.analytics.pipelines.MemoryInput.ts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.analytics.SparkTestSession;
import io.streamanalytics.analytics.io.PopulationTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
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
        MemoryInput conversions = MemoryInput.of(spark, InputColumns.SCOTSMEN);
        try (ResultCollector results = ResultCollector.start(
                pipeline("scotsmen_per_district"),
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
            assertThat(latest)
                    .containsOnlyKeys(
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
            assertThat(results.get("scotsmen_per_district|2024-12-03T10:00:00Z|Porto")
                            .get("total_new_scotsmen")
                            .asLong())
                    .isEqualTo(4);
            assertThat(results.get("scotsmen_per_district|2024-12-03T10:03:00Z|Porto")
                            .get("event_count")
                            .asLong())
                    .isEqualTo(1);
        }
    }

    /** {@code scotsmen_bagpipes} fed by two memory streams, in a session of its own with the pipeline's settings. */
    private record BagpipesJoin(MemoryInput conversions, MemoryInput sales, ResultCollector results)
            implements AutoCloseable {

        static BagpipesJoin start(SparkSession spark) {
            SparkSession session = spark.newSession();
            Pipelines.SCOTSMEN_BAGPIPES_SESSION_CONF.forEach(session.conf()::set);
            // One partition: the sums do not depend on how districts are spread, and each of the join's stateful
            // operators costs a state store per partition per batch, which made these the slowest fast-tier tests.
            session.conf().set("spark.sql.shuffle.partitions", "1");
            MemoryInput conversions = MemoryInput.of(session, InputColumns.SCOTSMEN);
            MemoryInput sales = MemoryInput.of(session, InputColumns.BAGPIPE);
            Dataset<Row> joined =
                    Pipelines.scotsmenBagpipes(conversions.toDF(), sales.toDF(), Pipelines.SCOTSMEN_BAGPIPES_TIME);
            return new BagpipesJoin(conversions, sales, ResultCollector.start(pipeline("scotsmen_bagpipes"), joined));
        }

        @Override
        public void close() throws TimeoutException {
            results.close();
        }
    }

    @Test
    void shouldJoinSalesFromTheConversionMinuteToFiveMinutesAfterAndSumPerHour() throws Exception {
        try (BagpipesJoin join = BagpipesJoin.start(spark)) {
            join.conversions().add(new Object[] {"Lisboa", 10, ts("2024-12-03T10:00:30Z")});
            join.sales()
                    .add(
                            new Object[] {"Lisboa", 1, ts("2024-12-03T10:00:45Z")}, // same minute: lower bound, joins
                            new Object[] {"Lisboa", 2, ts("2024-12-03T10:05:59Z")}, // minute 10:05 = +5 min: joins
                            new Object[] {"Lisboa", 4, ts("2024-12-03T10:06:00Z")}, // minute 10:06: too late
                            new Object[] {"Lisboa", 8, ts("2024-12-03T09:59:59Z")}, // before the conversion minute
                            new Object[] {"Porto", 16, ts("2024-12-03T10:01:00Z")}); // other district
            join.results().process();
            // The watermark now follows the later input, sales: 10:06 - 1 min = 10:05. A conversion in minute
            // 10:06 joins the sale still held in state (minutes 10:06..10:11 match 10:06 only); one in minute 10:03
            // is at or behind the watermark and dropped, the price of not letting the slower input hold results back.
            join.conversions().add(new Object[] {"Lisboa", 1, ts("2024-12-03T10:06:10Z")}, new Object[] {
                "Lisboa", 1000, ts("2024-12-03T10:03:10Z")
            });
            join.results().process();
            assertThat(join.results().latest())
                    .as("append mode: nothing before the hour is closed")
                    .isEmpty();
            // Conversions alone move the watermark ("max" policy) to 11:09; the join passes on a watermark 5 min
            // (its time bound) lower, 11:04, which is past the hour's end: the hour is closed and emitted.
            join.conversions().add(new Object[] {"Lisboa", 1, ts("2024-12-03T11:10:00Z")});
            join.results().process();

            assertThat(join.results().latest()).containsOnlyKeys("scotsmen_bagpipes|2024-12-03T10:00:00Z|Lisboa");
            JsonNode lisboa = join.results().get("scotsmen_bagpipes|2024-12-03T10:00:00Z|Lisboa");
            assertThat(lisboa.get("window_end").asText()).isEqualTo("2024-12-03T11:00:00Z");
            assertThat(lisboa.get("total_new_scotsmen").asLong()).isEqualTo(10 + 10 + 1);
            assertThat(lisboa.get("total_bagpipe_sales").asLong()).isEqualTo(1 + 2 + 4);
        }
    }

    @Test
    void shouldCountEveryConversionSalePairWhenMinutesHoldSeveralEvents() throws Exception {
        try (BagpipesJoin join = BagpipesJoin.start(spark)) {
            join.conversions()
                    .add(
                            new Object[] {"Lisboa", 1, ts("2024-12-03T10:57:05Z")},
                            new Object[] {"Lisboa", 2, ts("2024-12-03T10:57:40Z")},
                            new Object[] {"Lisboa", 4, ts("2024-12-03T10:59:00Z")});
            join.sales()
                    .add(
                            new Object[] {"Lisboa", 10, ts("2024-12-03T10:58:10Z")},
                            new Object[] {"Lisboa", 20, ts("2024-12-03T10:58:50Z")},
                            new Object[] {"Lisboa", 30, ts("2024-12-03T10:58:59Z")},
                            new Object[] {"Lisboa", 100, ts("2024-12-03T11:00:30Z")},
                            new Object[] {"Lisboa", 1000, ts("2024-12-03T11:03:00Z")});
            join.results().process();
            join.conversions().add(new Object[] {"Lisboa", 1, ts("2024-12-03T12:10:00Z")});
            join.results().process();

            // Pairs: the three 10:58 sales each meet both 10:57 conversions (hour 10); the 11:00 sale meets the
            // two 10:57 conversions and the 10:59 one; the 11:03 sale meets only the 10:59 one (10:57 is 6 min
            // before). Each pair adds its conversion's new_scotsmen and its sale's bagpipe_sales.
            JsonNode ten = join.results().get("scotsmen_bagpipes|2024-12-03T10:00:00Z|Lisboa");
            assertThat(ten.get("total_new_scotsmen").asLong()).isEqualTo(3 * (1 + 2));
            assertThat(ten.get("total_bagpipe_sales").asLong()).isEqualTo(2 * (10 + 20 + 30));
            JsonNode eleven = join.results().get("scotsmen_bagpipes|2024-12-03T11:00:00Z|Lisboa");
            assertThat(eleven.get("total_new_scotsmen").asLong()).isEqualTo((1 + 2 + 4) + 4);
            assertThat(eleven.get("total_bagpipe_sales").asLong()).isEqualTo(3 * 100 + 1000);
        }
    }

    /** An event of either join side in the reference below: district, amount, event time. */
    private record DistrictEvent(String district, int amount, Instant time) {

        Instant minute() {
            return time.truncatedTo(ChronoUnit.MINUTES);
        }

        Object[] row() {
            return new Object[] {district, amount, Timestamp.from(time)};
        }
    }

    @Test
    void shouldEqualThePairwiseJoinOfAPlainJavaReferenceOverGeneratedEvents() throws Exception {
        Random random = new Random(42);
        List<String> districts = List.of("Lisboa", "Porto", "Faro");
        Instant start = Instant.parse("2024-12-03T09:40:00Z");
        List<DistrictEvent> conversions = new ArrayList<>();
        List<DistrictEvent> sales = new ArrayList<>();
        Instant end = Instant.parse("2024-12-03T12:00:00Z");
        // Event time in order: a conversion every 4 s on average, a sale every 20 s.
        for (int second = 0; start.plusSeconds(second).isBefore(end); second++) {
            Instant time = start.plusSeconds(second).plusMillis(random.nextInt(1000));
            if (random.nextInt(4) == 0) {
                conversions.add(new DistrictEvent(districts.get(random.nextInt(3)), 1 + random.nextInt(9), time));
            }
            if (random.nextInt(20) == 0) {
                sales.add(new DistrictEvent(districts.get(random.nextInt(3)), 1 + random.nextInt(5), time));
            }
        }
        // The scotsmen notebook's join (docs/notebooks.md), pair by pair: a sale meets every conversion of its
        // district whose minute is at most 5 minutes before the sale's minute; the pair counts in the hour of the
        // sale's minute.
        Map<String, long[]> expected = new TreeMap<>();
        for (DistrictEvent sale : sales) {
            for (DistrictEvent conversion : conversions) {
                long minutesAfter = ChronoUnit.MINUTES.between(conversion.minute(), sale.minute());
                if (sale.district().equals(conversion.district()) && minutesAfter >= 0 && minutesAfter <= 5) {
                    String key =
                            "scotsmen_bagpipes|" + sale.minute().truncatedTo(ChronoUnit.HOURS) + "|" + sale.district();
                    long[] totals = expected.computeIfAbsent(key, k -> new long[2]);
                    totals[0] += conversion.amount();
                    totals[1] += sale.amount();
                }
            }
        }

        try (BagpipesJoin join = BagpipesJoin.start(spark)) {
            // Micro-batches of 20 minutes of event time each, so minutes, joins and hours span batches.
            for (Instant from = start; from.isBefore(end); from = from.plus(20, ChronoUnit.MINUTES)) {
                Instant batchStart = from;
                Instant batchEnd = from.plus(20, ChronoUnit.MINUTES);
                Predicate<DistrictEvent> inBatch =
                        e -> !e.time().isBefore(batchStart) && e.time().isBefore(batchEnd);
                join.conversions()
                        .add(conversions.stream()
                                .filter(inBatch)
                                .map(DistrictEvent::row)
                                .toArray(Object[][]::new));
                join.sales()
                        .add(sales.stream()
                                .filter(inBatch)
                                .map(DistrictEvent::row)
                                .toArray(Object[][]::new));
                join.results().process();
            }
            join.conversions().add(new Object[] {"Faro", 1, ts("2024-12-03T14:00:00Z")}); // closes every hour
            join.results().process();

            assertThat(expected).hasSize(3 * 3); // hours 09 (from 09:40) to 11, three districts
            Map<String, JsonNode> latest = join.results().latest();
            assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((key, totals) -> {
                assertThat(latest.get(key).get("total_new_scotsmen").asLong())
                        .as(key)
                        .isEqualTo(totals[0]);
                assertThat(latest.get(key).get("total_bagpipe_sales").asLong())
                        .as(key)
                        .isEqualTo(totals[1]);
            });
        }
    }

    @Test
    void shouldDivideByCensusPopulationOverSlidingHourWindows() throws Exception {
        MemoryInput conversions = MemoryInput.of(spark, InputColumns.SCOTSMEN);
        Dataset<Row> perCapita = Pipelines.conversionsPerCapita(
                conversions.toDF(), PopulationTable.load(spark), Pipelines.CONVERSIONS_PER_CAPITA_TIME);
        try (ResultCollector results = ResultCollector.start(pipeline("conversions_per_capita"), perCapita)) {
            conversions.add(
                    new Object[] {"Lisboa", 100, ts("2024-12-03T10:05:00Z")},
                    new Object[] {"Lisboa", 50, ts("2024-12-03T10:12:00Z")},
                    new Object[] {"Beja", 10, ts("2024-12-03T10:05:00Z")},
                    new Object[] {"Atlantis", 7, ts("2024-12-03T10:05:00Z")}); // no population: inner join drops it
            results.process();

            Map<String, JsonNode> latest = results.latest();
            // 1-hour windows every 10 minutes: 10:05 lies in those starting 09:10..10:00, 10:12 in 09:20..10:10.
            assertThat(latest.keySet().stream().filter(k -> k.endsWith("|Lisboa")))
                    .hasSize(7);
            assertThat(latest.keySet().stream().filter(k -> k.endsWith("|Beja")))
                    .hasSize(6);
            assertThat(latest.keySet()).allMatch(k -> k.endsWith("|Lisboa") || k.endsWith("|Beja"));

            JsonNode both = results.get("conversions_per_capita|2024-12-03T10:00:00Z|Lisboa");
            assertThat(both.get("window_end").asText()).isEqualTo("2024-12-03T11:00:00Z");
            assertThat(both.get("pop").asLong()).isEqualTo(2_250_533L);
            assertThat(both.get("total_new_scotsmen").asLong()).isEqualTo(150);
            assertThat(both.get("cumulative_ratio").asDouble()).isEqualTo(150.0 / 2_250_533);
            assertThat(results.get("conversions_per_capita|2024-12-03T09:10:00Z|Lisboa")
                            .get("cumulative_ratio")
                            .asDouble())
                    .isEqualTo(100.0 / 2_250_533);
            assertThat(results.get("conversions_per_capita|2024-12-03T10:10:00Z|Lisboa")
                            .get("cumulative_ratio")
                            .asDouble())
                    .isEqualTo(50.0 / 2_250_533);
            assertThat(results.get("conversions_per_capita|2024-12-03T10:00:00Z|Beja")
                            .get("cumulative_ratio")
                            .asDouble())
                    .isEqualTo(10.0 / 152_758);
        }
    }
}
