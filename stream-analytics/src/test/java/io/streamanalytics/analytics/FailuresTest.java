package io.streamanalytics.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void shouldTellTheOperatorToDeleteTheCheckpointWhenKafkaOffsetsAreGone() {
        // The text Spark 3.5's Kafka source fails with when a topic was recreated under a checkpoint.
        Exception sparkFailure = new RuntimeException(
                "Job aborted",
                new IllegalStateException(
                        "Partition scotsmen-0's offset was changed from 78 to 0, some data may have been missed.\n"
                                + "Some data may have been lost because they are not available in Kafka any more; either the\n"
                                + " data was aged out by Kafka or the topic may have been deleted before all the data in the\n"
                                + " topic was processed. If you want your streaming query to fail on such cases, set the\n"
                                + " source option \"failOnDataLoss\" to \"true\"."));

        String message =
                Failures.explain("scotsmen_per_district", "/cp/scotsmen_per_district/v1", "earliest", sparkFailure);

        assertThat(message)
                .contains("no longer exist")
                .contains("delete /cp/scotsmen_per_district/v1")
                .contains("STARTING_OFFSETS=earliest");
    }

    @Test
    void shouldReportOtherFailuresWithTheirRootCause() {
        String message = Failures.explain(
                "voter_stats",
                "/cp/voter_stats/v1",
                "earliest",
                new RuntimeException("outer", new IllegalArgumentException("disk full")));

        assertThat(message)
                .isEqualTo(
                        "Pipeline voter_stats failed: IllegalArgumentException: disk full (checkpoint /cp/voter_stats/v1)");
    }
}
