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

    /**
     * One problem record.
     *
     * @param sourceTopic the topic the bad input was on (for a dead letter: the input topic it names)
     */
    public record Problem(@JsonProperty("source_topic") String sourceTopic, int partition, long offset, String raw,
                          String error, @JsonProperty("seen_at") Instant seenAt) {
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
        String raw = problem.raw();
        recent.addLast(raw != null && raw.length() > MAX_RAW_CHARS
                ? new Problem(problem.sourceTopic(), problem.partition(), problem.offset(), raw.substring(0, MAX_RAW_CHARS),
                        problem.error(), problem.seenAt())
                : problem);
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
