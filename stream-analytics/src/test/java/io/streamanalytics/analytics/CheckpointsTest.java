package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamanalytics.analytics.io.KafkaTopics.OffsetRange;
import io.streamanalytics.analytics.pipelines.EventTimeParams;
import io.streamanalytics.analytics.pipelines.Pipeline;
import io.streamanalytics.analytics.pipelines.Pipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    private static final TopicPartition SCOTSMEN_0 = new TopicPartition("scotsmen", 0);
    private static final TopicPartition SCOTSMEN_1 = new TopicPartition("scotsmen", 1);

    private final Pipeline pipeline = Pipelines.byName("scotsmen_per_district").orElseThrow();

    @Test
    void shouldVersionTheCheckpointDirectoryPerPipeline() {
        assertThat(Checkpoints.directory("/data/checkpoints/", pipeline))
                .isEqualTo("/data/checkpoints/scotsmen_per_district/v" + pipeline.version());
    }

    @Test
    void shouldWriteLocalCheckpointsThroughTheFileSystemApiUnlessAManagerIsConfigured(@TempDir Path root) {
        Configuration hadoop = new Configuration();
        Map<String, String> fileSystemManager =
                Map.of(Checkpoints.FILE_MANAGER_SETTING, Checkpoints.FILE_SYSTEM_FILE_MANAGER);

        assertThat(Checkpoints.fileManagerSettings(hadoop, root.toString(), key -> false))
                .isEqualTo(fileSystemManager);
        assertThat(Checkpoints.fileManagerSettings(hadoop, root.toUri().toString(), key -> false))
                .isEqualTo(fileSystemManager);
        assertThat(Checkpoints.fileManagerSettings(hadoop, root.toString(), Checkpoints.FILE_MANAGER_SETTING::equals))
                .as("an operator's choice wins")
                .isEmpty();
        assertThat(Checkpoints.fileManagerSettings(hadoop, "http://checkpoints.invalid/x", key -> false))
                .as("any other file system keeps Spark's default")
                .isEmpty();
    }

    @Test
    void shouldAcceptTheSameDefinitionAgainAndRefuseAChangedOne(@TempDir Path root) throws Exception {
        String dir = Checkpoints.directory(root.toString(), pipeline);
        Configuration hadoop = new Configuration();
        Checkpoints.verifyDefinition(hadoop, dir, pipeline, pipeline.defaults());

        assertThat(Files.readString(Path.of(dir, Checkpoints.DEFINITION_FILE))).contains("window=PT3M");
        assertThatCode(() -> Checkpoints.verifyDefinition(hadoop, dir, pipeline, pipeline.defaults()))
                .doesNotThrowAnyException();
        EventTimeParams longerWindow = EventTimeParams.tumbling(Duration.ofMinutes(5), Duration.ofSeconds(30));
        assertThatThrownBy(() -> Checkpoints.verifyDefinition(hadoop, dir, pipeline, longerWindow))
                .isInstanceOf(Checkpoints.IncompatibleCheckpointException.class)
                .hasMessageContaining("window=PT3M")
                .hasMessageContaining("window=PT5M")
                .hasMessageContaining("delete " + dir);
    }

    @Test
    void shouldRefuseACheckpointWhoseKafkaOffsetsTheBrokerNoLongerHolds(@TempDir Path root) throws Exception {
        Path offsets = Files.createDirectories(root.resolve("offsets"));
        // Spark's offset log: version, metadata, one line per source; the newest batch counts.
        Files.writeString(offsets.resolve("1"), "v1\n{\"batchWatermarkMs\":0}\n{\"scotsmen\":{\"0\":40}}\n");
        Files.writeString(offsets.resolve("2"), "v1\n{\"batchWatermarkMs\":0}\n{\"scotsmen\":{\"0\":50,\"1\":7}}\n");
        Configuration hadoop = new Configuration();
        String dir = root.toString();

        assertThatCode(() -> Checkpoints.verifyKafkaOffsets(
                        hadoop,
                        dir,
                        "scotsmen_per_district",
                        "earliest",
                        topics -> Map.of(SCOTSMEN_0, new OffsetRange(0, 50), SCOTSMEN_1, new OffsetRange(0, 9))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Checkpoints.verifyKafkaOffsets(
                        hadoop,
                        dir,
                        "scotsmen_per_district",
                        "earliest",
                        topics -> Map.of(SCOTSMEN_0, new OffsetRange(0, 5))))
                .isInstanceOf(Checkpoints.IncompatibleCheckpointException.class)
                .hasMessageContaining("scotsmen-0 ends at offset 5 but the checkpoint is at 50")
                .hasMessageContaining("scotsmen-1 no longer exists")
                .hasMessageContaining("delete " + dir);
        assertThatThrownBy(() -> Checkpoints.verifyKafkaOffsets(
                        hadoop,
                        dir,
                        "scotsmen_per_district",
                        "earliest",
                        topics -> Map.of(SCOTSMEN_0, new OffsetRange(60, 90), SCOTSMEN_1, new OffsetRange(0, 9))))
                .hasMessageContaining("scotsmen-0 starts at offset 60 but the checkpoint is at 50");
    }

    @Test
    void shouldAcceptACheckpointWithoutOffsetLogYet(@TempDir Path root) {
        assertThatCode(() -> Checkpoints.verifyKafkaOffsets(
                        new Configuration(), root.toString(), "voter_stats", "earliest", topics -> {
                            throw new AssertionError("no broker lookup needed for a fresh checkpoint");
                        }))
                .doesNotThrowAnyException();
    }
}
