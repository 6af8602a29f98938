package io.streamanalytics.schemas.results;

import java.util.List;
import java.util.Optional;

/** The catalogue of pipelines and their result fields (see {@code docs/pipelines.md} for semantics). */
public final class PipelineResults {

    public static final PipelineResult IMPRESSIONS_PER_MINUTE = new PipelineResult(
            "impressions_per_minute",
            List.of(),
            List.of("event_count", "total_impressions", "total_clicks", "click_through_rate"));
    public static final PipelineResult RANDOM_VALUE_AVG = new PipelineResult(
            "random_value_avg", List.of(), List.of("event_count", "avg_value", "min_value", "max_value"));
    public static final PipelineResult HASHTAG_COUNTS =
            new PipelineResult("hashtag_counts", List.of("hashtag"), List.of("count"));
    /** Two breakdowns in one result stream; {@code breakdown} says which group fields are set. */
    public static final PipelineResult VOTER_STATS = new PipelineResult(
            "voter_stats",
            List.of("breakdown", "gender", "age_bucket", "party"),
            List.of("count", "start_age", "end_age"));

    public static final PipelineResult SCOTSMEN_PER_DISTRICT = new PipelineResult(
            "scotsmen_per_district",
            List.of("district"),
            List.of("event_count", "total_new_scotsmen", "average_new_scotsmen"));
    public static final PipelineResult SCOTSMEN_BAGPIPES = new PipelineResult(
            "scotsmen_bagpipes", List.of("district"), List.of("total_new_scotsmen", "total_bagpipe_sales"));
    public static final PipelineResult CONVERSIONS_PER_CAPITA = new PipelineResult(
            "conversions_per_capita", List.of("district"), List.of("pop", "total_new_scotsmen", "cumulative_ratio"));
    public static final PipelineResult WEATHER_DAILY = new PipelineResult(
            "weather_daily",
            List.of(),
            List.of("reading_count", "min_temperature", "max_temperature", "total_precipitation"));

    public static final List<PipelineResult> ALL = List.of(
            IMPRESSIONS_PER_MINUTE,
            RANDOM_VALUE_AVG,
            HASHTAG_COUNTS,
            VOTER_STATS,
            SCOTSMEN_PER_DISTRICT,
            SCOTSMEN_BAGPIPES,
            CONVERSIONS_PER_CAPITA,
            WEATHER_DAILY);

    private PipelineResults() {}

    public static Optional<PipelineResult> byName(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
