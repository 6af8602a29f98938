package io.streamanalytics.analytics.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.topics.EventType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class InputColumnsTest {

    @Test
    void everyEventTypeHasTheColumnsOfItsOwnTopicAndNoColumnsAreLeftOver() {
        for (EventType type : EventType.values()) {
            assertThat(InputColumns.of(type).topic()).isEqualTo(type);
        }
        assertThat(InputColumns.values()).hasSameSizeAs(EventType.values());
    }

    @Test
    void everyTopicsEventTimeIsATimestampColumn() {
        for (InputColumns columns : InputColumns.values()) {
            assertThat(columns.schema().apply(columns.eventTimeColumn()).dataType())
                    .as(columns.topic().topicName())
                    .isEqualTo(DataTypes.TimestampType);
        }
    }
}
