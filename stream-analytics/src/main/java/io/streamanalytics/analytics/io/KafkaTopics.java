package io.streamanalytics.analytics.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** What the broker still holds of the topics the analytics reads (topic creation is service-support's KafkaTopicAdmin). */
public final class KafkaTopics {

    private static final long TIMEOUT_SECONDS = 30;

    private KafkaTopics() {}

    /** The offsets a partition holds: from {@code earliest} (inclusive) to {@code latest} (exclusive). */
    public record OffsetRange(long earliest, long latest) {}

    /**
     * The offsets the broker still holds, per partition. A topic that does not exist has no entries.
     */
    public static Map<TopicPartition, OffsetRange> retainedOffsets(Map<String, String> kafka, Set<String> topics) {
        try (Admin admin = Admin.create(Map.copyOf(kafka))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<TopicPartition> partitions = new ArrayList<>();
            Map<String, TopicDescription> described = admin.describeTopics(
                            topics.stream().filter(existing::contains).toList())
                    .allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            described
                    .values()
                    .forEach(d ->
                            d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest = admin.listOffsets(
                            partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest())))
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest = admin.listOffsets(
                            partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetRange> retained = new HashMap<>();
            partitions.forEach(tp -> retained.put(
                    tp,
                    new OffsetRange(earliest.get(tp).offset(), latest.get(tp).offset())));
            return retained;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot read offsets of " + topics + " from " + kafka.get("bootstrap.servers") + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
