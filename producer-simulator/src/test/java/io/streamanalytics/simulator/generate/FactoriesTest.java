package io.streamanalytics.simulator.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.Tweet;
import io.streamanalytics.schemas.events.VoterEvent;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FactoriesTest {

    private static final Instant T = Instant.parse("2024-12-03T10:00:00Z");

    @Test
    void shouldNeverMakeMoreClicksThanImpressions() {
        SplittableRandom random = new SplittableRandom(1);
        ClickstreamFactory factory = new ClickstreamFactory();
        for (int i = 0; i < 10_000; i++) {
            ClickEvent click = factory.create(T, i, random);
            assertThat(click.clicks()).isBetween(0, click.impressions());
            assertThat(click.impressions()).isBetween(1, 40);
        }
    }

    @Test
    void shouldMakeAdultVotersOfKnownPartiesAndGenders() {
        SplittableRandom random = new SplittableRandom(2);
        VoterFactory factory = new VoterFactory();
        for (int i = 0; i < 10_000; i++) {
            VoterEvent voter = factory.create(T, i, random);
            assertThat(voter.age()).isBetween(18, 95);
            assertThat(voter.party()).isIn(VoterFactory.PARTIES);
            assertThat(voter.gender()).isIn("female", "male", "other");
        }
    }

    @Test
    void shouldReportHashtagEntitiesAtTheirOffsetsInTheText() {
        SplittableRandom random = new SplittableRandom(3);
        TweetFactory factory = new TweetFactory(1.1);
        int tags = 0;
        for (int i = 0; i < 2_000; i++) {
            Tweet tweet = factory.create(T, i, random);
            assertThat(tweet.timestampMs()).isEqualTo(Long.toString(T.toEpochMilli()));
            assertThat(tweet.createdAt()).isEqualTo("Tue Dec 03 10:00:00 +0000 2024");
            for (Tweet.Hashtag tag : tweet.entities().hashtags()) {
                int from = tag.indices().get(0);
                assertThat(tweet.text().substring(from, tag.indices().get(1))).isEqualTo("#" + tag.text());
                assertThat(TweetFactory.HASHTAGS).contains(tag.text().toLowerCase());
                tags++;
            }
        }
        assertThat(tags).isGreaterThan(2_000);
    }
}
