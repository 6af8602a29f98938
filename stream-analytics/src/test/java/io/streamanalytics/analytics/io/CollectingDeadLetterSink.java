package io.streamanalytics.analytics.io;

import io.streamanalytics.schemas.topics.DeadLetter;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps what the parse tasks send, for tests on Spark local mode: each task works on a deserialised copy of the
 * sink, so the copies meet in a queue of this JVM under the sink's id.
 */
final class CollectingDeadLetterSink implements DeadLetterSink {

    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<DeadLetter>> RECEIVED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    @Override
    public void send(DeadLetter letter) {
        RECEIVED.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(letter);
    }

    @Override
    public void flush() {}

    List<DeadLetter> received() {
        return List.copyOf(RECEIVED.getOrDefault(id, new ConcurrentLinkedQueue<>()));
    }
}
