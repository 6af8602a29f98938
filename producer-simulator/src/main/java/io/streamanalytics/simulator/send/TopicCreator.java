package io.streamanalytics.simulator.send;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics the simulator writes to if they are missing; existing topics are left as they are. */
public final class TopicCreator {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicCreator() {
    }

    public static void ensureTopics(Properties kafka, Collection<String> names, int partitions, short replicationFactor) {
        if (names.isEmpty()) {
            return;
        }
        List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, partitions, replicationFactor)).toList();
        try (Admin admin = Admin.create(kafka)) {
            CreateTopicsResult result = admin.createTopics(topics);
            for (NewTopic topic : topics) {
                try {
                    result.values().get(topic.name()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    log.info("Created topic {} ({} partitions, replication factor {})", topic.name(), partitions, replicationFactor);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.getProperty("bootstrap.servers")
                    + " did not answer within " + TIMEOUT.toSeconds() + " s; is it running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
