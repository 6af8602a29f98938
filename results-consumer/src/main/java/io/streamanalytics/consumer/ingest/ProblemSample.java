package io.streamanalytics.consumer.ingest;

import io.streamanalytics.schemas.topics.DeadLetter;
import java.util.List;

/**
 * The most recent few problem records (dead letters, malformed results) with a running count, for the API. Each is a
 * {@link DeadLetter}, the contract's shape for "an input that could not be used, and why", whose {@code seen_at} is
 * when this consumer read it.
 */
public final class ProblemSample {

    /** Raw values are cut to this many characters: the sample is for a person to look at, not to replay. */
    static final int MAX_RAW_CHARS = 1_000;

    static final int MAX_ERROR_CHARS = 1_000;
    /** Kafka's own limit on topic names; a dead letter may claim any text as its source topic. */
    static final int MAX_TOPIC_CHARS = 249;

    private final RecentItems<DeadLetter> items;

    public ProblemSample(int capacity) {
        this.items = new RecentItems<>(capacity);
    }

    /** Adds a problem, every text cut to its bound, so that a hostile record costs the sample a few kilobytes. */
    public void add(DeadLetter problem) {
        String raw = problem.raw();
        items.add(new DeadLetter(
                cut(problem.sourceTopic(), MAX_TOPIC_CHARS),
                problem.partition(),
                problem.offset(),
                cut(raw, MAX_RAW_CHARS),
                problem.rawBytes(),
                problem.rawTruncated() || (raw != null && raw.length() > MAX_RAW_CHARS),
                problem.rawEncoding(),
                cut(problem.error(), MAX_ERROR_CHARS),
                problem.seenAt()));
    }

    /** How many problems were seen since start. */
    public long count() {
        return items.count();
    }

    /** The most recent problems, newest last. */
    public List<DeadLetter> recent() {
        return items.recent();
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
