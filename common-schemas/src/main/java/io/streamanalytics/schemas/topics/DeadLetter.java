package io.streamanalytics.schemas.topics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A record on {@link Topics#DEAD_LETTERS}: an input that could not be used, and why. Bounded whatever came in
 * ({@link #of}): {@code raw} holds at most the first {@value #MAX_RAW_BYTES} bytes of the value and {@code error}
 * at most {@value #MAX_ERROR_CHARS} characters, so even with every character JSON-escaped a dead letter stays far
 * below a default broker's 1 MiB message limit. The coordinates fetch the original.
 *
 * @param raw the value (or its first bytes) as text; a tombstone has none
 * @param rawBytes the size of the whole value in bytes
 * @param rawTruncated whether {@code raw} holds only the first bytes of the value
 * @param rawEncoding {@value #UTF_8} when {@code raw} is the value's text, {@value #BASE64} when the value was no
 *     valid UTF-8 and {@code raw} holds its bytes in base64, so nothing is lost to replacement characters
 */
@JsonPropertyOrder({
    "source_topic",
    "partition",
    "offset",
    "raw",
    "raw_bytes",
    "raw_truncated",
    "raw_encoding",
    "error",
    "seen_at"
})
public record DeadLetter(
        @JsonProperty("source_topic") String sourceTopic,
        int partition,
        long offset,
        String raw,
        @JsonProperty("raw_bytes") long rawBytes,
        @JsonProperty("raw_truncated") boolean rawTruncated,
        @JsonProperty("raw_encoding") String rawEncoding,
        String error,
        @JsonProperty("seen_at") Instant seenAt) {

    public static final int MAX_RAW_BYTES = 4096;
    public static final int MAX_ERROR_CHARS = 1000;
    public static final String UTF_8 = "utf-8";
    public static final String BASE64 = "base64";

    /** The dead letter of the record at these coordinates whose value is {@code value} (null for a tombstone). */
    public static DeadLetter of(
            String sourceTopic, int partition, long offset, byte[] value, String error, Instant seenAt) {
        String reason = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS - 3) + "..." : error;
        if (value == null) {
            return new DeadLetter(sourceTopic, partition, offset, null, 0, false, UTF_8, reason, seenAt);
        }
        boolean truncated = value.length > MAX_RAW_BYTES;
        ByteBuffer head = ByteBuffer.wrap(value, 0, Math.min(value.length, MAX_RAW_BYTES));
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer text = CharBuffer.allocate(head.remaining());
        // At the end of input a cut multi-byte character is an error; when truncated it is only the cut.
        boolean valid = !decoder.decode(head, text, !truncated).isError();
        String raw = valid
                ? text.flip().toString()
                : Base64.getEncoder().encodeToString(Arrays.copyOf(value, Math.min(value.length, MAX_RAW_BYTES)));
        return new DeadLetter(
                sourceTopic, partition, offset, raw, value.length, truncated, valid ? UTF_8 : BASE64, reason, seenAt);
    }
}
