package io.streamanalytics.common;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the system's topics when they are missing, with the settings their role needs, whichever service
 * gets there first. Existing topics are left as they are.
 */
public final class KafkaTopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(KafkaTopicAdmin.class);
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * Input topics keep records by size, not by age: their record timestamps are event times, and replayed or
     * deterministic events carry times long past, which time-based retention (7 days by default) would delete
     * within a minute of their arrival, before any pipeline read them.
     */
    public static final Map<String, String> INPUT_TOPIC_CONFIG =
            Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(1L << 30));

    /** Result topics keep the latest value per key: a result re-sent after a restart replaces the earlier one. */
    public static final Map<String, String> RESULT_TOPIC_CONFIG =
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

    private KafkaTopicAdmin() {}

    /** An input topic; empty partitions or replication factor mean the broker's default. */
    public static NewTopic inputTopic(String name, Optional<Integer> partitions, Optional<Short> replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor).configs(INPUT_TOPIC_CONFIG);
    }

    public static NewTopic resultTopic(String name) {
        return new NewTopic(name, Optional.empty(), Optional.empty()).configs(RESULT_TOPIC_CONFIG);
    }

    /** A topic with the broker's defaults (dead letters: their timestamps are the time they were seen). */
    public static NewTopic plainTopic(String name) {
        return new NewTopic(name, Optional.empty(), Optional.empty());
    }

    public static void ensureExist(Map<String, ?> kafka, Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.copyOf(kafka))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (NewTopic topic : topics) {
                if (existing.contains(topic.name())) {
                    continue;
                }
                try {
                    admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    log.info(
                            "Created topic {} ({} partitions, replication factor {}, {})",
                            topic.name(),
                            topic.numPartitions() < 0 ? "default" : topic.numPartitions(),
                            topic.replicationFactor() < 0 ? "default" : topic.replicationFactor(),
                            topic.configs() == null ? "broker defaults" : topic.configs());
                } catch (ExecutionException e) {
                    // Another service (or an earlier instance) got there first: fine.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + topic.name() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at " + kafka.get("bootstrap.servers") + " did not answer within " + TIMEOUT_SECONDS
                            + " s; is it running?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
