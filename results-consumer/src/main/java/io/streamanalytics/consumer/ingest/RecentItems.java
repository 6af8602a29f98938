package io.streamanalytics.consumer.ingest;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * The last {@code capacity} items added, oldest first, and how many were added in all: what the API shows of a stream
 * it does not keep. Safe across threads (the poll loop adds, HTTP requests read).
 */
public final class RecentItems<T> {

    private final int capacity;
    private final Deque<T> recent;
    private long count;

    public RecentItems(int capacity) {
        this.capacity = capacity;
        this.recent = new ArrayDeque<>(capacity);
    }

    public synchronized void add(T item) {
        if (recent.size() == capacity) {
            recent.removeFirst();
        }
        recent.addLast(item);
        count++;
    }

    public synchronized void addAll(Collection<? extends T> items) {
        items.forEach(this::add);
    }

    /** How many items were added since start. */
    public synchronized long count() {
        return count;
    }

    /** The most recent items, oldest first. */
    public synchronized List<T> recent() {
        return List.copyOf(recent);
    }
}
