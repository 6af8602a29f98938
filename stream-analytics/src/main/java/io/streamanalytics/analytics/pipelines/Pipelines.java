package io.streamanalytics.analytics.pipelines;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.streamanalytics.schemas.results.PipelineResults;
import io.streamanalytics.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.DataTypes;

/**
 * The eight pipelines as functions over Datasets, each with its event-time defaults beside it. Every function
 * returns a {@code window} struct, the pipeline's group fields and its metric fields, named as in
 * {@link PipelineResults}; turning them into Kafka records is the caller's business.
 *
 * <p>Semantics are documented in {@code docs/pipelines.md}; the reference notebooks named below, and where the
 * pipelines differ from them, in {@code docs/notebooks.md}.
 */
public final class Pipelines {

    private static final Duration ONE_MINUTE = Duration.ofMinutes(1);
    /**
     * The trigger of the clickstream and granularity-reduction notebooks, kept for the pipelines whose windows are
     * seconds or minutes long: their results are read live, and their freshness target is this interval plus 2 s.
     */
    public static final Duration LIVE_TRIGGER = Duration.ofSeconds(5);

    /** 1-minute tumbling windows (real ones, not the clickstream notebook's {@code minute(ts)} that folds hours). */
    public static final EventTimeParams IMPRESSIONS_PER_MINUTE_TIME = EventTimeParams.tumbling(ONE_MINUTE, ONE_MINUTE);

    public static final Duration IMPRESSIONS_PER_MINUTE_TRIGGER = LIVE_TRIGGER;

    public static Dataset<Row> impressionsPerMinute(Dataset<Row> clicks, EventTimeParams time) {
        return clicks.withWatermark("ts", time.watermarkInterval())
                .groupBy(time.windowOf(col("ts")))
                .agg(
                        count(lit(1)).as("event_count"),
                        sum("Impressions").as("total_impressions"),
                        sum("Clicks").as("total_clicks"))
                // Division by zero impressions yields null: no rate rather than an invented 0.
                .withColumn("click_through_rate", col("total_clicks").divide(col("total_impressions")));
    }

    /** The granularity-reduction notebook's 5-second windows; values come every second or so, hence the short wait. */
    public static final EventTimeParams RANDOM_VALUE_AVG_TIME =
            EventTimeParams.tumbling(Duration.ofSeconds(5), Duration.ofSeconds(10));

    public static final Duration RANDOM_VALUE_AVG_TRIGGER = LIVE_TRIGGER;

    public static Dataset<Row> randomValueAverage(Dataset<Row> values, EventTimeParams time) {
        return values.withWatermark("ts", time.watermarkInterval())
                .groupBy(time.windowOf(col("ts")))
                .agg(
                        count(lit(1)).as("event_count"),
                        avg("value").as("avg_value"),
                        min("value").as("min_value"),
                        max("value").as("max_value"));
    }

    public static final EventTimeParams HASHTAG_COUNTS_TIME = EventTimeParams.tumbling(ONE_MINUTE, ONE_MINUTE);
    public static final Duration HASHTAG_COUNTS_TRIGGER = LIVE_TRIGGER;

    /**
     * A hashtag is a whitespace-separated word starting with {@code #}, followed by letters, digits or
     * underscores; what follows them (punctuation) is cut off, and tags are counted case-insensitively, as
     * Twitter treats them. A bare {@code #} (or {@code #} followed by punctuation only) is no hashtag.
     */
    static final String HASHTAG_PATTERN = "^#([\\p{L}\\p{N}_]+)";

    public static Dataset<Row> hashtagCounts(Dataset<Row> tweets, EventTimeParams time) {
        String eventTime = InputColumns.TWEET_TIME;
        return tweets.withWatermark(eventTime, time.watermarkInterval())
                .select(col(eventTime), explode(split(col("text"), "\\s+")).as("word"))
                .select(
                        col(eventTime),
                        regexp_extract(col("word"), HASHTAG_PATTERN, 1).as("tag"))
                .where(col("tag").notEqual(""))
                .select(col(eventTime), concat(lit("#"), lower(col("tag"))).as("hashtag"))
                .groupBy(time.windowOf(col(eventTime)), col("hashtag"))
                .agg(count(lit(1)).as("count"));
    }

    /** The voter-statistics notebook's sliding window: 10 minutes, every 5 minutes. */
    public static final EventTimeParams VOTER_STATS_TIME =
            EventTimeParams.sliding(Duration.ofMinutes(10), Duration.ofMinutes(5), ONE_MINUTE);
    /** Ten-minute counts barely move in 5 s; a tenth of the slide keeps each five-minute step well resolved. */
    public static final Duration VOTER_STATS_TRIGGER = Duration.ofSeconds(30);

    public static final String BREAKDOWN_GENDER_PARTY = "gender_party";
    public static final String BREAKDOWN_AGE_PARTY = "age_party";
    static final int FIRST_VOTING_AGE = 18;
    static final int AGE_BUCKET_YEARS = 10;

    /**
     * Both breakdowns of the voter-statistics notebook in one stateful aggregation: every vote is counted once under
     * {@value #BREAKDOWN_GENDER_PARTY} and once under {@value #BREAKDOWN_AGE_PARTY} (grouping sets, spelled
     * out), so one query, one checkpoint and one result topic serve both.
     */
    public static Dataset<Row> voterStats(Dataset<Row> voters, EventTimeParams time) {
        Column ageBucket = floor(col("age").minus(FIRST_VOTING_AGE).divide(AGE_BUCKET_YEARS))
                .cast(DataTypes.IntegerType);
        Column noGender = lit(null).cast(DataTypes.StringType);
        Column noAgeBucket = lit(null).cast(DataTypes.IntegerType);
        Column bucket = col("age_bucket");
        return voters.withWatermark("timestamp", time.watermarkInterval())
                .select(
                        col("timestamp"),
                        explode(array(
                                        struct(
                                                lit(BREAKDOWN_GENDER_PARTY).as("breakdown"),
                                                col("gender").as("gender"),
                                                noAgeBucket.as("age_bucket"),
                                                col("party").as("party")),
                                        struct(
                                                lit(BREAKDOWN_AGE_PARTY).as("breakdown"),
                                                noGender.as("gender"),
                                                ageBucket.as("age_bucket"),
                                                col("party").as("party"))))
                                .as("b"))
                .groupBy(
                        time.windowOf(col("timestamp")),
                        col("b.breakdown").as("breakdown"),
                        col("b.gender").as("gender"),
                        col("b.age_bucket").as("age_bucket"),
                        col("b.party").as("party"))
                .agg(count(lit(1)).as("count"))
                .withColumn(
                        "start_age",
                        when(
                                bucket.isNotNull(),
                                bucket.multiply(AGE_BUCKET_YEARS).plus(FIRST_VOTING_AGE)))
                .withColumn(
                        "end_age",
                        when(
                                bucket.isNotNull(),
                                bucket.plus(1).multiply(AGE_BUCKET_YEARS).plus(FIRST_VOTING_AGE - 1)));
    }

    /** The scotsmen notebook's 3-minute windows with a 30-second watermark. */
    public static final EventTimeParams SCOTSMEN_PER_DISTRICT_TIME =
            EventTimeParams.tumbling(Duration.ofMinutes(3), Duration.ofSeconds(30));

    public static final Duration SCOTSMEN_PER_DISTRICT_TRIGGER = LIVE_TRIGGER;

    public static Dataset<Row> scotsmenPerDistrict(Dataset<Row> conversions, EventTimeParams time) {
        return conversions
                .withWatermark("timestamp", time.watermarkInterval())
                .groupBy(time.windowOf(col("timestamp")), col("district"))
                .agg(
                        count(lit(1)).as("event_count"),
                        sum("new_scotsmen").as("total_new_scotsmen"),
                        avg("new_scotsmen").as("average_new_scotsmen"));
    }

    /** Per district per hour; both join sides wait one minute for late events, as in the scotsmen notebook. */
    public static final EventTimeParams SCOTSMEN_BAGPIPES_TIME =
            EventTimeParams.tumbling(Duration.ofHours(1), ONE_MINUTE);
    /**
     * Append mode writes each hour once, some minutes after it closes (see {@link #SALES_AFTER_CONVERSION}); a
     * minute between batches delays that by at most a minute and spares the join 11 of every 12 batches.
     */
    public static final Duration SCOTSMEN_BAGPIPES_TRIGGER = ONE_MINUTE;
    /**
     * The query's global watermark follows the faster of its two inputs ("max" policy) instead of the slower
     * ("min", Spark's default). Spark runs a stream-stream join only in append mode, so an hour's result is
     * written once the watermark passes the hour's end; with min, a sparse or silent bagpipe stream would pin
     * the watermark and hold every result (and all join state) back indefinitely.
     */
    public static final Map<String, String> SCOTSMEN_BAGPIPES_SESSION_CONF =
            Map.of("spark.sql.streaming.multipleWatermarkPolicy", "max");
    /** A sale joins a conversion when its minute is at most this long after the conversion's minute. */
    public static final Duration SALES_AFTER_CONVERSION = Duration.ofMinutes(5);

    /**
     * The scotsmen notebook's stream-stream join: conversion and sale timestamps truncated to the minute, a sale
     * joins every conversion of its district whose minute is in {@code [sale minute - 5 min, sale minute]}; each
     * joined pair is counted once per hour window of the sale minute (so a conversion matched by two sales
     * contributes its {@code new_scotsmen} twice, exactly as that notebook sums the join output).
     *
     * <p>Joining the raw events costs the product of both rates (every sale meets every conversion of its
     * district in six minutes), which starved the other queries. Each side is therefore first reduced to one
     * row per district and minute: conversions to N (sum of {@code new_scotsmen}) and C (their count), sales
     * to S (sum of {@code bagpipe_sales}) and K (their count). Joining those rows and adding N×K and S×C gives
     * the same sums as the pairwise join: all K sales of a minute meet all C conversions of a matching minute.
     */
    public static Dataset<Row> scotsmenBagpipes(Dataset<Row> conversions, Dataset<Row> sales, EventTimeParams time) {
        Dataset<Row> conversionMinutes = perDistrictMinute(conversions, "conversion", "new_scotsmen", time);
        Dataset<Row> saleMinutes = perDistrictMinute(sales, "sale", "bagpipe_sales", time);
        Column sameDistrict = col("conversion_district").equalTo(col("sale_district"));
        Column withinBounds = col("sale_minute")
                .geq(col("conversion_minute"))
                .and(col("sale_minute")
                        .leq(col("conversion_minute")
                                .plus(expr("INTERVAL " + SALES_AFTER_CONVERSION.toSeconds() + " SECONDS"))));
        return conversionMinutes
                .join(saleMinutes, sameDistrict.and(withinBounds))
                .groupBy(
                        time.windowOf(col("sale_minute")),
                        col("conversion_district").as("district"))
                .agg(
                        sum(col("conversion_total").multiply(col("sale_count"))).as("total_new_scotsmen"),
                        sum(col("sale_total").multiply(col("conversion_count"))).as("total_bagpipe_sales"));
    }

    /**
     * One row per district and minute, written once the watermark has passed the minute: {@code <side>_district},
     * {@code <side>_minute} (watermarked, so the join can bound its state), {@code <side>_total} (sum of the
     * amount) and {@code <side>_count} (events).
     */
    private static Dataset<Row> perDistrictMinute(
            Dataset<Row> events, String side, String amount, EventTimeParams time) {
        String minute = side + "_minute";
        return events.select(
                        col("district"), date_trunc("minute", col("timestamp")).as(minute), col(amount))
                .withWatermark(minute, time.watermarkInterval())
                .groupBy(col("district").as(side + "_district"), col(minute))
                .agg(sum(amount).as(side + "_total"), count(lit(1)).as(side + "_count"));
    }

    /** The scotsmen notebook's 1-hour window sliding every 10 minutes, on event time instead of processing time. */
    public static final EventTimeParams CONVERSIONS_PER_CAPITA_TIME =
            EventTimeParams.sliding(Duration.ofHours(1), Duration.ofMinutes(10), ONE_MINUTE);
    /** An hour's ratio per district moves slowly; once a minute is ten updates per slide. */
    public static final Duration CONVERSIONS_PER_CAPITA_TRIGGER = ONE_MINUTE;

    /**
     * The stream-static join with the population table. {@code cumulative_ratio} is the scotsmen notebook's sum of
     * {@code new_scotsmen / pop} per window; the population is constant per district, so it is computed as
     * {@code total_new_scotsmen / pop}: the same number, but exact and independent of summation order, so a
     * replayed batch yields a bit-identical result.
     */
    public static Dataset<Row> conversionsPerCapita(
            Dataset<Row> conversions, Dataset<Row> population, EventTimeParams time) {
        return conversions
                .withWatermark("timestamp", time.watermarkInterval())
                .join(broadcast(population), "district")
                .groupBy(time.windowOf(col("timestamp")), col("district"), col("pop"))
                .agg(sum("new_scotsmen").as("total_new_scotsmen"))
                .withColumn("cumulative_ratio", col("total_new_scotsmen").divide(col("pop")));
    }

    /** Calendar days in UTC; files of readings may be dropped a day late. */
    public static final EventTimeParams WEATHER_DAILY_TIME =
            EventTimeParams.tumbling(Duration.ofDays(1), Duration.ofDays(1));
    /** Readings come in files, a few at a time; a daily aggregate has nothing to gain from polling more often. */
    public static final Duration WEATHER_DAILY_TRIGGER = ONE_MINUTE;

    /** Precipitation is summed as a decimal so the total is exact whatever order the readings come in. */
    public static Dataset<Row> weatherDaily(Dataset<Row> readings, EventTimeParams time) {
        return readings.withWatermark("timestamp", time.watermarkInterval())
                .groupBy(time.windowOf(col("timestamp")))
                .agg(
                        count(lit(1)).as("reading_count"),
                        min("min_temperature").as("min_temperature"),
                        max("max_temperature").as("max_temperature"),
                        sum(col("precipitation").cast(DataTypes.createDecimalType(18, 3)))
                                .cast(DataTypes.DoubleType)
                                .as("total_precipitation"));
    }

    /** Bump a pipeline's version whenever its state or semantics change (see {@link Pipeline#version()}). */
    public static final List<Pipeline> ALL = List.of(
            new Pipeline(
                    PipelineResults.IMPRESSIONS_PER_MINUTE,
                    1,
                    IMPRESSIONS_PER_MINUTE_TIME,
                    IMPRESSIONS_PER_MINUTE_TRIGGER,
                    List.of(Topics.CLICKSTREAM),
                    Map.of(),
                    OutputMode.Update(),
                    (in, time) -> impressionsPerMinute(in.events(Topics.CLICKSTREAM), time)),
            new Pipeline(
                    PipelineResults.RANDOM_VALUE_AVG,
                    1,
                    RANDOM_VALUE_AVG_TIME,
                    RANDOM_VALUE_AVG_TRIGGER,
                    List.of(Topics.RANDOM_VALUES),
                    Map.of(),
                    OutputMode.Update(),
                    (in, time) -> randomValueAverage(in.events(Topics.RANDOM_VALUES), time)),
            new Pipeline(
                    PipelineResults.HASHTAG_COUNTS,
                    1,
                    HASHTAG_COUNTS_TIME,
                    HASHTAG_COUNTS_TRIGGER,
                    List.of(Topics.TWITTER),
                    Map.of(),
                    OutputMode.Update(),
                    (in, time) -> hashtagCounts(in.events(Topics.TWITTER), time)),
            new Pipeline(
                    PipelineResults.VOTER_STATS,
                    1,
                    VOTER_STATS_TIME,
                    VOTER_STATS_TRIGGER,
                    List.of(Topics.VOTERS),
                    Map.of(),
                    OutputMode.Update(),
                    (in, time) -> voterStats(in.events(Topics.VOTERS), time)),
            new Pipeline(
                    PipelineResults.SCOTSMEN_PER_DISTRICT,
                    1,
                    SCOTSMEN_PER_DISTRICT_TIME,
                    SCOTSMEN_PER_DISTRICT_TRIGGER,
                    List.of(Topics.SCOTSMEN),
                    Map.of(),
                    OutputMode.Update(),
                    (in, time) -> scotsmenPerDistrict(in.events(Topics.SCOTSMEN), time)),
            new Pipeline(
                    PipelineResults.SCOTSMEN_BAGPIPES,
                    2,
                    SCOTSMEN_BAGPIPES_TIME,
                    SCOTSMEN_BAGPIPES_TRIGGER,
                    List.of(Topics.SCOTSMEN, Topics.BAGPIPE),
                    SCOTSMEN_BAGPIPES_SESSION_CONF,
                    OutputMode.Append(),
                    (in, time) -> scotsmenBagpipes(in.events(Topics.SCOTSMEN), in.events(Topics.BAGPIPE), time)),
            new Pipeline(
                    PipelineResults.CONVERSIONS_PER_CAPITA,
                    1,
                    CONVERSIONS_PER_CAPITA_TIME,
                    CONVERSIONS_PER_CAPITA_TRIGGER,
                    List.of(Topics.SCOTSMEN),
                    Map.of(),
                    OutputMode.Update(),
                    (in, time) -> conversionsPerCapita(in.events(Topics.SCOTSMEN), in.population(), time)),
            new Pipeline(
                    PipelineResults.WEATHER_DAILY,
                    1,
                    WEATHER_DAILY_TIME,
                    WEATHER_DAILY_TRIGGER,
                    List.of(),
                    Map.of(),
                    OutputMode.Update(),
                    (in, time) -> weatherDaily(in.weatherReadings(), time)));

    private Pipelines() {}

    public static Optional<Pipeline> byName(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
