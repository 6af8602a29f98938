package io.streamanalytics.simulator.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamTest {

    private static final Instant START = Instant.parse("2024-12-03T10:00:00Z");

    private static EventStream<ScotsmenEvent> scotsmen(StreamSettings settings, long seed) {
        return new EventStream<>(Topics.SCOTSMEN, DistrictEventFactory.scotsmen(1.0), settings, seed, START);
    }

    private static List<SimRecord> take(EventStream<?> stream, int n) {
        List<SimRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(stream.next());
        }
        return records;
    }

    @Test
    void shouldScheduleEventsOneOverRateApart() {
        List<SimRecord> records = take(scotsmen(new StreamSettings(TrafficShape.steady(4), Disorder.NONE, 0), 1), 5);

        assertThat(records)
                .extracting(SimRecord::nominalTime)
                .containsExactly(
                        START,
                        START.plusMillis(250),
                        START.plusMillis(500),
                        START.plusMillis(750),
                        START.plusMillis(1000));
        assertThat(records)
                .extracting(SimRecord::eventTime)
                .containsExactlyElementsOf(
                        records.stream().map(SimRecord::nominalTime).toList());
    }

    @Test
    void shouldMultiplyTheRateDuringBurstsAndSendNothingWhileIdle() {
        // 10 s cycles: the last 2 s burst at 5x; 30 s cycles: the last 10 s idle.
        TrafficShape shape = new TrafficShape(
                1, Duration.ofSeconds(10), Duration.ofSeconds(2), 5, Duration.ofSeconds(30), Duration.ofSeconds(10));
        List<Instant> times = take(scotsmen(new StreamSettings(shape, Disorder.NONE, 0), 1), 60).stream()
                .map(SimRecord::nominalTime)
                .toList();

        long inFirstCycle =
                times.stream().filter(t -> t.isBefore(START.plusSeconds(10))).count();
        long inIdle = times.stream()
                .filter(t -> !t.isBefore(START.plusSeconds(20)) && t.isBefore(START.plusSeconds(30)))
                .count();
        // 8 s at 1/s (t = 0..7) and 2 s at 5/s (t = 8.0, 8.2, ..., 9.8).
        assertThat(inFirstCycle).isEqualTo(8 + 10);
        assertThat(inIdle).isZero();
        assertThat(times).contains(START.plusSeconds(30));
    }

    @Test
    void shouldKeepOutOfOrderEventsWithinTheirBoundAndLateEventsBeyondTheirs() {
        Disorder disorder = new Disorder(0.3, Duration.ofSeconds(20), 0.1, Duration.ofMinutes(5));
        List<SimRecord> records = take(scotsmen(new StreamSettings(TrafficShape.steady(10), disorder, 0), 9), 5000);

        List<Duration> behind = records.stream()
                .map(r -> Duration.between(r.eventTime(), r.nominalTime()))
                .toList();
        long late = behind.stream()
                .filter(d -> d.compareTo(Duration.ofMinutes(5)) >= 0)
                .count();
        long outOfOrder = behind.stream()
                .filter(d -> !d.isZero() && !d.isNegative() && d.compareTo(Duration.ofSeconds(20)) <= 0)
                .count();
        assertThat(behind)
                .allSatisfy(d -> assertThat(d.compareTo(Duration.ofMinutes(10))).isLessThanOrEqualTo(0));
        assertThat(behind)
                .noneSatisfy(d -> assertThat(
                                d.compareTo(Duration.ofSeconds(20)) > 0 && d.compareTo(Duration.ofMinutes(5)) < 0)
                        .isTrue());
        // Bernoulli fractions over 5000 draws: within 5 standard deviations of 500 and 1500.
        assertThat(late).isBetween(500L - 106, 500L + 106);
        assertThat(outOfOrder).isBetween(1500L - 162, 1500L + 162);
    }

    @Test
    void shouldMalformExactlyTheFloorOfCountTimesFraction() {
        EventStream<ScotsmenEvent> stream =
                scotsmen(new StreamSettings(TrafficShape.steady(10), Disorder.NONE, 0.07), 2);
        List<SimRecord> records = take(stream, 1000);

        assertThat(records.subList(0, 100).stream()
                        .filter(r -> r.malformed() != null)
                        .count())
                .isEqualTo(7);
        assertThat(records.stream().filter(r -> r.malformed() != null).count()).isEqualTo(70);
        assertThat(records)
                .filteredOn(r -> r.malformed() != null)
                .allSatisfy(r -> assertThat(r.event()).isNull());
        assertThat(records)
                .filteredOn(r -> r.malformed() == MalformedKind.NOT_JSON)
                .hasSize(18);
    }

    @Test
    void shouldNotChangeEventContentWhenOnlyTheDisorderChanges() {
        List<SimRecord> ordered = take(scotsmen(new StreamSettings(TrafficShape.steady(10), Disorder.NONE, 0), 4), 200);
        Disorder disorder = new Disorder(0.5, Duration.ofSeconds(20), 0, Duration.ZERO);
        List<SimRecord> shuffled = take(scotsmen(new StreamSettings(TrafficShape.steady(10), disorder, 0), 4), 200);

        assertThat(shuffled)
                .extracting(r -> ((ScotsmenEvent) r.event()).district())
                .containsExactlyElementsOf(ordered.stream()
                        .map(r -> ((ScotsmenEvent) r.event()).district())
                        .toList());
    }
}
