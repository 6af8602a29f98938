package io.streamanalytics.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireInstantSerializerTest {

    private final Json.WireInstantSerializer serializer = new Json.WireInstantSerializer();

    @Test
    void shouldWriteExactlyWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(1);
        Instant t = Instant.parse("2024-12-31T23:59:58Z");
        for (int i = 0; i < 200_000; i++) {
            // Mostly small steps (same second, reused text), sometimes jumps across seconds, days and years.
            t = t.plusMillis(random.nextInt(10) < 9 ? random.nextInt(40) : random.nextLong(400L * 86_400_000L));
            assertThat(serializer.format(t)).isEqualTo(t.toString());
        }
        for (String text : new String[] {
            "2024-12-03T10:12:47Z",
            "2024-12-03T10:12:47.050Z",
            "1970-01-01T00:00:00.001Z",
            "2024-12-03T10:12:47.123456Z",
            "2024-12-03T10:12:47.000000001Z",
            "+12024-01-01T00:00:00.500Z"
        }) {
            assertThat(serializer.format(Instant.parse(text))).isEqualTo(text);
        }
    }

    @Test
    void shouldSerialiseEventTimestampsThroughTheSharedMapper() {
        assertThat(Json.toJson(Instant.parse("2024-12-03T10:12:47.100Z"))).isEqualTo("\"2024-12-03T10:12:47.100Z\"");
    }
}
