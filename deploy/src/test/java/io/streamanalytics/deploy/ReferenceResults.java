package io.streamanalytics.deploy;

import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.simulator.Simulator;
import io.streamanalytics.simulator.SimulatorCommand;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.config.StreamConfig;
import io.streamanalytics.simulator.generate.EventStream;
import io.streamanalytics.simulator.generate.SimRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the pipelines must output for a deterministic simulator run, computed in plain Java from the very events
 * the simulator sends (no Spark): the final metrics per result key. Inputs are assumed in order (no late events).
 */
final class ReferenceResults {

    /** Five minutes of event time from a fixed start, sent at 20x: every run sends the same events. */
    static final Map<String, String> DETERMINISTIC_SIMULATOR = Map.ofEntries(
            Map.entry("SEED", "17"),
            Map.entry("START_TIME", "2024-12-03T10:00:00Z"),
            Map.entry("SPEED", "20"),
            Map.entry("OUT_OF_ORDER_FRACTION", "0"),
            Map.entry("LATE_FRACTION", "0"),
            Map.entry("CLICKSTREAM_DURATION", "5m"),
            Map.entry("RANDOM_VALUES_DURATION", "5m"),
            Map.entry("TWITTER_DURATION", "5m"),
            Map.entry("VOTERS_DURATION", "5m"),
            Map.entry("SCOTSMEN_DURATION", "5m"),
            Map.entry("BAGPIPE_DURATION", "5m"),
            Map.entry("WEATHER_COUNT", "8"),
            Map.entry("WEATHER_FILE_INTERVAL", "1s"));

    private ReferenceResults() {}

    /** The simulator configuration a run with {@link #DETERMINISTIC_SIMULATOR} has: parsed as the simulator parses it. */
    static SimulatorConfig deterministicSimulatorConfig() {
        var commandLine = SimulatorCommand.commandLine(DETERMINISTIC_SIMULATOR);
        commandLine.parseArgs();
        return ((SimulatorCommand) commandLine.getCommand()).toConfig();
    }

    /** Per district and 3-minute window: event count, total and average new scotsmen. */
    static Map<String, Map<String, Double>> scotsmenPerDistrict(SimulatorConfig config) {
        Map<String, List<Integer>> byKey = new HashMap<>();
        for (SimRecord record : records(config, Topics.SCOTSMEN.topicName())) {
            ScotsmenEvent event = (ScotsmenEvent) record.event();
            byKey.computeIfAbsent(
                            "scotsmen_per_district|" + windowStart(event.timestamp(), 3) + "|" + event.district(),
                            k -> new ArrayList<>())
                    .add(event.newScotsmen());
        }
        Map<String, Map<String, Double>> expected = new TreeMap<>();
        byKey.forEach((key, values) -> {
            double total = values.stream().mapToInt(Integer::intValue).sum();
            expected.put(
                    key,
                    Map.of(
                            "event_count",
                            (double) values.size(),
                            "total_new_scotsmen",
                            total,
                            "average_new_scotsmen",
                            round(total / values.size())));
        });
        return expected;
    }

    /** Per 1-minute window: event count, impressions, clicks and click-through rate. */
    static Map<String, Map<String, Double>> impressionsPerMinute(SimulatorConfig config) {
        Map<String, long[]> byKey = new HashMap<>();
        for (SimRecord record : records(config, Topics.CLICKSTREAM.topicName())) {
            ClickEvent event = (ClickEvent) record.event();
            long[] sums =
                    byKey.computeIfAbsent("impressions_per_minute|" + windowStart(event.ts(), 1), k -> new long[3]);
            sums[0]++;
            sums[1] += event.impressions();
            sums[2] += event.clicks();
        }
        Map<String, Map<String, Double>> expected = new TreeMap<>();
        byKey.forEach((key, sums) -> expected.put(
                key,
                Map.of(
                        "event_count",
                        (double) sums[0],
                        "total_impressions",
                        (double) sums[1],
                        "total_clicks",
                        (double) sums[2],
                        "click_through_rate",
                        round((double) sums[2] / sums[1]))));
        return expected;
    }

    private static List<SimRecord> records(SimulatorConfig config, String topic) {
        StreamConfig stream = config.streams().stream()
                .filter(s -> s.topic().topicName().equals(topic))
                .findFirst()
                .orElseThrow();
        EventStream<?> events = Simulator.stream(config, stream);
        Instant end = config.startTime().plus(stream.duration());
        List<SimRecord> records = new ArrayList<>();
        for (SimRecord record = events.next(); record.nominalTime().isBefore(end); record = events.next()) {
            records.add(record);
        }
        return records;
    }

    private static String windowStart(Instant time, int minutes) {
        long minute = time.truncatedTo(ChronoUnit.MINUTES).getEpochSecond() / 60;
        return Instant.ofEpochSecond((minute - Math.floorMod(minute, minutes)) * 60)
                .toString();
    }

    /** Doubles compared after rounding to 9 decimals: Spark and Java may differ in the last bit of an average. */
    static double round(double value) {
        return Math.round(value * 1e9) / 1e9;
    }
}
