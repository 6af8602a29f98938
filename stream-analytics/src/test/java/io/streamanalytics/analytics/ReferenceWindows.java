package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.events.VoterEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the pipelines must output for events given in event-time order, computed in plain Java (no Spark): the
 * final metrics per result key. In order means no watermark ever drops one, so no notion of batches is needed.
 */
final class ReferenceWindows {

    private ReferenceWindows() {}

    /** 3-minute tumbling windows per district: count, sum and mean of new_scotsmen. */
    static Map<String, Map<String, Number>> scotsmenPerDistrict(List<ScotsmenEvent> events) {
        Map<String, long[]> sums = new TreeMap<>();
        for (ScotsmenEvent e : events) {
            long[] acc = sums.computeIfAbsent(
                    "scotsmen_per_district|" + floor(e.timestamp(), Duration.ofMinutes(3)) + "|" + e.district(),
                    k -> new long[2]);
            acc[0]++;
            acc[1] += e.newScotsmen();
        }
        Map<String, Map<String, Number>> expected = new HashMap<>();
        sums.forEach((key, acc) -> expected.put(
                key,
                Map.of(
                        "event_count",
                        acc[0],
                        "total_new_scotsmen",
                        acc[1],
                        "average_new_scotsmen",
                        (double) acc[1] / acc[0])));
        return expected;
    }

    /** 10-minute windows every 5 minutes; each vote counted by gender and party, and by age bucket and party. */
    static Map<String, Map<String, Number>> voterStats(List<VoterEvent> events) {
        Map<String, Long> counts = new TreeMap<>();
        Duration slide = Duration.ofMinutes(5);
        for (VoterEvent e : events) {
            Instant last = floor(e.timestamp(), slide);
            for (Instant start : List.of(last.minus(slide), last)) {
                counts.merge("voter_stats|" + start + "|gender_party|" + e.gender() + "||" + e.party(), 1L, Long::sum);
                counts.merge(
                        "voter_stats|" + start + "|age_party||" + (e.age() - 18) / 10 + "|" + e.party(), 1L, Long::sum);
            }
        }
        Map<String, Map<String, Number>> expected = new HashMap<>();
        counts.forEach((key, count) -> expected.put(key, Map.of("count", count)));
        return expected;
    }

    /** 1-minute windows: count, impressions, clicks and their ratio. */
    static Map<String, Map<String, Number>> impressionsPerMinute(List<ClickEvent> events) {
        Map<String, long[]> sums = new TreeMap<>();
        for (ClickEvent e : events) {
            long[] acc = sums.computeIfAbsent(
                    "impressions_per_minute|" + floor(e.ts(), Duration.ofMinutes(1)), k -> new long[3]);
            acc[0]++;
            acc[1] += e.impressions();
            acc[2] += e.clicks();
        }
        Map<String, Map<String, Number>> expected = new HashMap<>();
        sums.forEach((key, acc) -> expected.put(
                key,
                Map.of(
                        "event_count",
                        acc[0],
                        "total_impressions",
                        acc[1],
                        "total_clicks",
                        acc[2],
                        "click_through_rate",
                        (double) acc[2] / acc[1])));
        return expected;
    }

    /** 5-second windows: count, mean, min and max of the values. */
    static Map<String, Map<String, Number>> randomValueAverage(List<RandomValueEvent> events) {
        Map<String, long[]> acc = new TreeMap<>();
        for (RandomValueEvent e : events) {
            long[] a = acc.computeIfAbsent("random_value_avg|" + floor(e.ts(), Duration.ofSeconds(5)), k ->
                    new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            a[0]++;
            a[1] += e.value();
            a[2] = Math.min(a[2], e.value());
            a[3] = Math.max(a[3], e.value());
        }
        Map<String, Map<String, Number>> expected = new HashMap<>();
        acc.forEach((key, a) -> expected.put(
                key,
                Map.of("event_count", a[0], "avg_value", (double) a[1] / a[0], "min_value", a[2], "max_value", a[3])));
        return expected;
    }

    /** 1-minute windows per lower-cased hashtag, for texts whose words are plain tags such as {@code #kafka}. */
    static Map<String, Map<String, Number>> hashtagCounts(Map<Instant, String> textsByTime) {
        Map<String, Long> counts = new TreeMap<>();
        textsByTime.forEach((time, text) -> {
            for (String word : text.split("\\s+")) {
                if (word.startsWith("#") && word.length() > 1) {
                    counts.merge(
                            "hashtag_counts|" + floor(time, Duration.ofMinutes(1)) + "|" + word.toLowerCase(),
                            1L,
                            Long::sum);
                }
            }
        });
        Map<String, Map<String, Number>> expected = new HashMap<>();
        counts.forEach((key, count) -> expected.put(key, Map.of("count", count)));
        return expected;
    }

    /** The latest result per key has exactly the expected keys and, for each, exactly the expected metrics. */
    static void assertResults(Map<String, JsonNode> actual, Map<String, Map<String, Number>> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, metrics) -> metrics.forEach((field, value) -> assertThat(
                        value instanceof Double
                                ? (Number) actual.get(key).get(field).asDouble()
                                : (Number) actual.get(key).get(field).asLong())
                .as("%s of %s", field, key)
                .isEqualTo(value)));
    }

    static Instant floor(Instant time, Duration size) {
        long millis = size.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), millis) * millis);
    }
}
