package io.streamanalytics.consumer.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The most recent few problem records (dead letters, malformed results) with a running count, for the API. */
public final class ProblemSample {

    /** Raw values are cut to this many characters: the sample is for a person to look at, not to replay. */
    static final int MAX_RAW_CHARS = 1_000;
    static final int MAX_ERROR_CHARS = 1_000;
    /** Kafka's own limit on topic names; a dead letter may claim any text as its source topic. */
    static final int MAX_TOPIC_CHARS = 249;

    /**
     * One problem record. Every text is cut to its bound here, whoever builds it, so a hostile record can cost the
     * sample at most a few kilobytes.
     *
     * @param sourceTopic  the topic the bad input was on (for a dead letter: the input topic it names)
     * @param rawBytes     the size of the whole value in bytes (for a dead letter: as it says; 0 if unknown)
     * @param rawTruncated whether {@code raw} holds only the beginning of the value
     */
    public record Problem(@JsonProperty("source_topic") String sourceTopic, int partition, long offset, String raw,
                          @JsonProperty("raw_bytes") long rawBytes, @JsonProperty("raw_truncated") boolean rawTruncated,
                          String error, @JsonProperty("seen_at") Instant seenAt) {

        public Problem {
            sourceTopic = cut(sourceTopic, MAX_TOPIC_CHARS);
            error = cut(error, MAX_ERROR_CHARS);
            rawTruncated = rawTruncated || (raw != null && raw.length() > MAX_RAW_CHARS);
            raw = cut(raw, MAX_RAW_CHARS);
        }

        private static String cut(String text, int max) {
            return text == null || text.length() <= max ? text : text.substring(0, max);
        }
    }

    private final int capacity;
    private final Deque<Problem> recent;
    private long count;

    public ProblemSample(int capacity) {
        this.capacity = capacity;
        this.recent = new ArrayDeque<>(capacity);
    }

    public synchronized void add(Problem problem) {
        if (recent.size() == capacity) {
            recent.removeFirst();
        }
        recent.addLast(problem);
        count++;
    }

    /** How many problems were seen since start. */
    public synchronized long count() {
        return count;
    }

    /** The most recent problems, newest last. */
    public synchronized List<Problem> recent() {
        return List.copyOf(recent);
    }
}
