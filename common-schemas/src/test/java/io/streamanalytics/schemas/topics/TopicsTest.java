package io.streamanalytics.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.events.BagpipeSaleEvent;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.Tweet;
import io.streamanalytics.schemas.json.Json;
import io.streamanalytics.schemas.results.PipelineResults;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldRegisterTheSixInputTopicsOfTheDesign() {
        assertThat(Topics.INPUTS)
                .extracting(EventType::topicName)
                .containsExactly("clickstream", "random-values", "twitter", "voters", "scotsmen", "bagpipe");
        assertThat(Topics.results("scotsmen_per_district")).isEqualTo("results.scotsmen_per_district");
    }

    @Test
    void shouldKeyByDistrictOrUserAndLeaveOthersUnkeyed() {
        Instant t = Instant.parse("2024-12-03T10:12:47Z");
        assertThat(Topics.BAGPIPE.key(new BagpipeSaleEvent("Faro", 2, t))).isEqualTo("Faro");
        assertThat(Topics.CLICKSTREAM.key(new ClickEvent(1, 2, t))).isNull();
        Tweet tweet = new Tweet(
                "x",
                1L,
                "1",
                "hi",
                "0",
                "en",
                new Tweet.User(9L, "9", "n", "s", "en", 0),
                new Tweet.Entities(List.of()));
        assertThat(Topics.TWITTER.key(tweet)).isEqualTo("9");
    }

    @Test
    void shouldSerialiseWithTheNotebookFieldNamesAndIsoTimestamps() {
        assertThat(Json.toJson(new ClickEvent(3, 40, Instant.parse("2024-12-03T10:12:47Z"))))
                .isEqualTo("{\"Clicks\":3,\"Impressions\":40,\"ts\":\"2024-12-03T10:12:47Z\"}");
        assertThat(Json.toJson(new BagpipeSaleEvent("Évora", 2, Instant.parse("2024-12-03T10:12:47.250Z"))))
                .isEqualTo("{\"district\":\"Évora\",\"bagpipe_sales\":2,\"timestamp\":\"2024-12-03T10:12:47.250Z\"}");
    }

    @Test
    void shouldBuildResultKeysFromPipelineWindowAndGroups() {
        assertThat(PipelineResults.SCOTSMEN_PER_DISTRICT.key("2024-12-03T10:12:00Z", List.of("Porto")))
                .isEqualTo("scotsmen_per_district|2024-12-03T10:12:00Z|Porto");
        assertThat(PipelineResults.IMPRESSIONS_PER_MINUTE.key("2024-12-03T10:12:00Z", List.of()))
                .isEqualTo("impressions_per_minute|2024-12-03T10:12:00Z");
    }

    @Test
    void shouldReadRequiredFieldsFromTheSchema() {
        assertThat(Topics.SCOTSMEN.requiredFields()).containsExactly("district", "new_scotsmen", "timestamp");
        assertThat(Topics.TWITTER.requiredFields()).containsExactly("text", "timestamp_ms", "user");
    }
}
