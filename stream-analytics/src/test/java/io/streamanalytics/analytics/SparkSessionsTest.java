package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparkSessionsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "local; local[1,4]",
                "local[*]; local[*,4]",
                "local[2]; local[2,4]",
                // Whoever sets the attempts, or runs a cluster, keeps them.
                "local[2,1]; local[2,1]",
                "local-cluster[2,1,1024]; local-cluster[2,1,1024]",
                "spark://127.0.0.1:7077; spark://127.0.0.1:7077",
                "yarn; yarn"
            })
    void shouldRetryFailedTasksInLocalModeUnlessTheMasterSaysOtherwise(String master, String expected) {
        assertThat(SparkSessions.withTaskRetries(master)).isEqualTo(expected);
    }
}
