package io.streamanalytics.analytics;

import io.streamanalytics.schemas.events.Tweet;
import java.time.Instant;
import java.util.List;

/** Events as a producer following the contract builds them, for the end-to-end tests. */
final class TestEvents {

    private TestEvents() {}

    /** A tweet by one fixed user, with every optional field set the way Twitter sets it. */
    static Tweet tweet(String text, Instant when) {
        return new Tweet(
                Tweet.CREATED_AT_FORMAT.format(when),
                when.toEpochMilli(),
                Long.toString(when.toEpochMilli()),
                text,
                Long.toString(when.toEpochMilli()),
                "en",
                new Tweet.User(42L, "42", "Ann", "ann", "en", 7),
                new Tweet.Entities(List.of()));
    }
}
