package io.streamanalytics.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final Instant SEEN = Instant.parse("2024-12-03T10:00:00Z");

    @Test
    void shouldKeepASmallValueWhole() {
        DeadLetter letter =
                DeadLetter.of("voters", 1, 7, "{\"gender\":".getBytes(StandardCharsets.UTF_8), "not JSON", SEEN);

        assertThat(letter)
                .isEqualTo(new DeadLetter("voters", 1, 7, "{\"gender\":", 10, false, "utf-8", "not JSON", SEEN));
        assertThat(Json.toJson(letter))
                .isEqualTo("{\"source_topic\":\"voters\",\"partition\":1,\"offset\":7,"
                        + "\"raw\":\"{\\\"gender\\\":\",\"raw_bytes\":10,\"raw_truncated\":false,\"raw_encoding\":\"utf-8\","
                        + "\"error\":\"not JSON\",\"seen_at\":\"2024-12-03T10:00:00Z\"}");
    }

    @Test
    void shouldStayFarBelowABrokerMessageWhateverTheValue() {
        // Control characters are escaped as six characters each, the worst case for the JSON size.
        byte[] controlBytes = new byte[200_000];
        Arrays.fill(controlBytes, (byte) 1);

        DeadLetter letter = DeadLetter.of("clickstream", 0, 3, controlBytes, "e".repeat(5_000), SEEN);

        assertThat(letter.raw()).hasSize(DeadLetter.MAX_RAW_BYTES);
        assertThat(letter.rawBytes()).isEqualTo(200_000);
        assertThat(letter.rawTruncated()).isTrue();
        assertThat(letter.error()).hasSize(DeadLetter.MAX_ERROR_CHARS).endsWith("...");
        assertThat(Json.toBytes(letter).length).isLessThan(32 * 1024);
    }

    @Test
    void shouldCutAtACharacterBoundaryWhenTruncatingText() {
        // 4,095 ASCII bytes, then a two-byte character across the cut.
        byte[] value = ("x".repeat(DeadLetter.MAX_RAW_BYTES - 1) + "é and more").getBytes(StandardCharsets.UTF_8);

        DeadLetter letter = DeadLetter.of("voters", 0, 0, value, "too large", SEEN);

        assertThat(letter.raw()).isEqualTo("x".repeat(DeadLetter.MAX_RAW_BYTES - 1));
        assertThat(letter.rawEncoding()).isEqualTo(DeadLetter.UTF_8);
        assertThat(letter.rawTruncated()).isTrue();
    }

    @Test
    void shouldKeepInvalidUtf8LosslesslyAsBase64() {
        byte[] value = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};

        DeadLetter letter = DeadLetter.of("voters", 0, 0, value, "not valid UTF-8", SEEN);

        assertThat(letter.rawEncoding()).isEqualTo(DeadLetter.BASE64);
        assertThat(Base64.getDecoder().decode(letter.raw())).isEqualTo(value);
        assertThat(letter.rawTruncated()).isFalse();
    }

    @Test
    void shouldRecordATombstoneWithoutRaw() {
        assertThat(DeadLetter.of("bagpipe", 2, 9, null, "record has no value (a tombstone)", SEEN))
                .isEqualTo(new DeadLetter(
                        "bagpipe", 2, 9, null, 0, false, "utf-8", "record has no value (a tombstone)", SEEN));
    }
}
