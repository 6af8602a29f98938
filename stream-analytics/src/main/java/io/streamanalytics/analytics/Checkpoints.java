package io.streamanalytics.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamanalytics.analytics.io.KafkaTopics;
import io.streamanalytics.analytics.pipelines.EventTimeParams;
import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.kafka.common.TopicPartition;

/**
 * Per-pipeline checkpoint directories, versioned so an incompatible definition never reuses old state: the path
 * carries the pipeline's code version, and a definition file beside Spark's own files records the configured
 * event-time parameters, which Spark cannot check itself (a changed window silently mixes old and new state).
 */
public final class Checkpoints {

    static final String DEFINITION_FILE = "pipeline-definition.txt";

    private Checkpoints() {}

    public static String directory(String root, Pipeline pipeline) {
        String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        return base + "/" + pipeline.name() + "/v" + pipeline.version();
    }

    static final String FILE_MANAGER_SETTING = "spark.sql.streaming.checkpointFileManagerClass";
    static final String FILE_SYSTEM_FILE_MANAGER =
            "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager";

    /**
     * The checkpoint file manager for a directory, unless one is configured. Spark's default writes through
     * Hadoop's FileContext, whose rename asks for the target's link status, which the local file system answers,
     * without Hadoop's native library, by starting a {@code readlink} process: for every offset and commit log
     * entry and every state store file of every micro-batch. On a local
     * disk the FileSystem-based manager does the same write-then-rename through java.io, and rename(2) is
     * atomic there; other file systems (HDFS, object stores) keep Spark's default.
     */
    public static Map<String, String> fileManagerSettings(
            Configuration hadoopConf, String directory, Predicate<String> configured) {
        if (configured.test(FILE_MANAGER_SETTING)) {
            return Map.of();
        }
        try {
            FileSystem fs = new Path(directory).getFileSystem(hadoopConf);
            boolean local = fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
            return local ? Map.of(FILE_MANAGER_SETTING, FILE_SYSTEM_FILE_MANAGER) : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of checkpoint " + directory, e);
        }
    }

    static String definition(Pipeline pipeline, EventTimeParams params) {
        return "pipeline=" + pipeline.name() + ",version=" + pipeline.version() + "," + params.fingerprint();
    }

    /**
     * Records the definition on first use; on a later start fails with instructions if it has changed.
     *
     * @throws IncompatibleCheckpointException if the checkpoint was written by another definition
     */
    public static void verifyDefinition(
            Configuration hadoopConf, String directory, Pipeline pipeline, EventTimeParams params) {
        String expected = definition(pipeline, params);
        Path file = new Path(directory, DEFINITION_FILE);
        try {
            FileSystem fs = file.getFileSystem(hadoopConf);
            if (fs.exists(file)) {
                String found;
                try (FSDataInputStream in = fs.open(file)) {
                    found = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                }
                if (!found.equals(expected)) {
                    throw new IncompatibleCheckpointException("Pipeline " + pipeline.name() + ": the checkpoint "
                            + directory + " was written with [" + found + "] but the configuration now says ["
                            + expected + "]. Its state cannot be reused. Restore the previous settings, or stop the "
                            + "analytics and delete " + directory + " to recompute from the earliest retained input "
                            + "(results re-sent replace the old ones on the compacted result topic).");
                }
                return;
            }
            fs.mkdirs(file.getParent());
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write((expected + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check checkpoint definition " + file, e);
        }
    }

    /**
     * Fails fast, before Spark gets to it, when the checkpoint's last planned Kafka offsets are beyond what the
     * broker still holds: the topic was recreated (fewer records now) or records expired unread. Spark would
     * notice too, but only inside a micro-batch and after its consumer timeouts.
     *
     * @param retained per partition, the offsets the broker holds; a partition the broker does not have is absent
     * @throws IncompatibleCheckpointException with what to do about it
     */
    public static void verifyKafkaOffsets(
            Configuration hadoopConf,
            String directory,
            String pipeline,
            String startingOffsets,
            Function<Set<String>, Map<TopicPartition, KafkaTopics.OffsetRange>> retained) {
        Map<TopicPartition, Long> planned = lastPlannedOffsets(hadoopConf, directory);
        if (planned.isEmpty()) {
            return;
        }
        Set<String> topics =
                planned.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
        Map<TopicPartition, KafkaTopics.OffsetRange> onBroker = retained.apply(topics);
        List<String> gone = new ArrayList<>();
        planned.forEach((partition, offset) -> {
            KafkaTopics.OffsetRange range = onBroker.get(partition);
            if (range == null) {
                gone.add(partition + " no longer exists (checkpoint at offset " + offset + ")");
            } else if (offset > range.latest()) {
                gone.add(partition + " ends at offset " + range.latest() + " but the checkpoint is at " + offset);
            } else if (offset < range.earliest()) {
                gone.add(partition + " starts at offset " + range.earliest() + " but the checkpoint is at " + offset);
            }
        });
        if (!gone.isEmpty()) {
            throw new IncompatibleCheckpointException(
                    Failures.offsetsGone(pipeline, directory, startingOffsets, String.join("; ", gone)));
        }
    }

    /**
     * The end offsets of the newest planned micro-batch, from Spark's offset log ({@code offsets/<batch>}: a
     * version line, a metadata line, then one JSON line per source such as {@code {"scotsmen":{"0":50}}}).
     */
    static Map<TopicPartition, Long> lastPlannedOffsets(Configuration hadoopConf, String directory) {
        Path offsets = new Path(directory, "offsets");
        try {
            FileSystem fs = offsets.getFileSystem(hadoopConf);
            if (!fs.exists(offsets)) {
                return Map.of();
            }
            Optional<Path> latest = Arrays.stream(fs.listStatus(offsets))
                    .map(FileStatus::getPath)
                    .filter(p -> p.getName().matches("\\d+"))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getName())));
            if (latest.isEmpty()) {
                return Map.of();
            }
            List<String> lines;
            try (FSDataInputStream in = fs.open(latest.get())) {
                lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .lines()
                        .toList();
            }
            Map<TopicPartition, Long> planned = new HashMap<>();
            for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
                JsonNode source = Json.MAPPER.readTree(line);
                source.fields()
                        .forEachRemaining(topic -> topic.getValue()
                                .fields()
                                .forEachRemaining(partition -> planned.put(
                                        new TopicPartition(topic.getKey(), Integer.parseInt(partition.getKey())),
                                        partition.getValue().asLong())));
            }
            return planned;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the offset log in " + offsets, e);
        }
    }

    /** A checkpoint that must not be used with the current definition; the message says what to do. */
    public static final class IncompatibleCheckpointException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IncompatibleCheckpointException(String message) {
            super(message);
        }
    }
}
