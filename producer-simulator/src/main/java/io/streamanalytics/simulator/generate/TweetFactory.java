package io.streamanalytics.simulator.generate;

import io.streamanalytics.schemas.events.Tweet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Tweets whose text carries hashtags drawn from a Zipf-skewed vocabulary, from a pool of users of which a few
 * tweet most. The text has the irregularities real tweets have and a hashtag counter must cope with: a tag in
 * another case ({@code #Spark}), trailing punctuation ({@code #kafka!}) and a bare {@code #}.
 */
public final class TweetFactory implements EventFactory<Tweet> {

    /** Most popular first: Zipf rank order. */
    static final List<String> HASHTAGS = List.of(
            "spark",
            "kafka",
            "bigdata",
            "streaming",
            "portugal",
            "lisboa",
            "datascience",
            "java",
            "python",
            "ai",
            "scotland",
            "bagpipes",
            "porto",
            "dataengineering",
            "cloud",
            "opensource",
            "machinelearning",
            "sql",
            "analytics",
            "devops",
            "scala",
            "flink",
            "realtime",
            "iot",
            "football",
            "music",
            "travel",
            "food",
            "weather",
            "election");

    private static final List<String> WORDS = List.of(
            "just",
            "shipped",
            "a",
            "new",
            "pipeline",
            "today",
            "loving",
            "the",
            "view",
            "from",
            "here",
            "why",
            "is",
            "everyone",
            "talking",
            "about",
            "this",
            "great",
            "talk",
            "on",
            "data",
            "at",
            "meetup",
            "coffee",
            "and",
            "code",
            "what",
            "a",
            "game",
            "tonight",
            "finally",
            "weekend",
            "trying",
            "out",
            "stream",
            "processing",
            "who",
            "else",
            "thinks",
            "so");
    private static final List<String> LANGS = List.of("en", "pt", "es");
    private static final WeightedSampler<String> LANG = WeightedSampler.of(LANGS, l -> switch (l) {
        case "en" -> 70;
        case "pt" -> 20;
        default -> 10;
    });
    private static final int USERS = 500;
    private static final long FIRST_USER_ID = 700_000_000L;
    /** Twitter's snowflake epoch: tweet ids grow with time, as real ones do. */
    private static final long SNOWFLAKE_EPOCH_MS = 1288834974657L;

    private static final double OTHER_CASE = 0.10;
    private static final double TRAILING_PUNCTUATION = 0.10;
    private static final double BARE_HASH = 0.03;

    private final WeightedSampler<String> hashtags;
    private final WeightedSampler<Integer> users;

    public TweetFactory(double hashtagSkew) {
        this.hashtags = WeightedSampler.zipf(HASHTAGS, hashtagSkew);
        List<Integer> userIndexes = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            userIndexes.add(i);
        }
        this.users = WeightedSampler.zipf(userIndexes, 1.0);
    }

    @Override
    public Tweet create(Instant eventTime, long sequence, SplittableRandom random) {
        List<String> words = new ArrayList<>();
        int wordCount = 3 + random.nextInt(8);
        for (int i = 0; i < wordCount; i++) {
            words.add(WORDS.get(random.nextInt(WORDS.size())));
        }
        int tagCount = random.nextInt(4);
        for (int i = 0; i < tagCount; i++) {
            words.add(random.nextInt(words.size() + 1), hashtagToken(random));
        }
        if (random.nextDouble() < BARE_HASH) {
            words.add(random.nextInt(words.size() + 1), "#");
        }
        String text = String.join(" ", words);

        int userIndex = users.sample(random);
        long userId = FIRST_USER_ID + userIndex * 7919L;
        String lang = LANG.sample(random);
        Tweet.User user = new Tweet.User(
                userId,
                Long.toString(userId),
                "Streamer " + userIndex,
                "streamer" + userIndex,
                lang,
                10 + (USERS - userIndex) * 37);
        long id = ((eventTime.toEpochMilli() - SNOWFLAKE_EPOCH_MS) << 22) | (sequence & 0x3FFFFF);
        return new Tweet(
                Tweet.CREATED_AT_FORMAT.format(eventTime),
                id,
                Long.toString(id),
                text,
                Long.toString(eventTime.toEpochMilli()),
                lang,
                user,
                new Tweet.Entities(entities(text)));
    }

    private String hashtagToken(SplittableRandom random) {
        String tag = hashtags.sample(random);
        if (random.nextDouble() < OTHER_CASE) {
            tag = tag.substring(0, 1).toUpperCase(Locale.ROOT) + tag.substring(1);
        }
        String token = "#" + tag;
        if (random.nextDouble() < TRAILING_PUNCTUATION) {
            token += random.nextBoolean() ? "!" : ",";
        }
        return token;
    }

    /** Hashtag entities as Twitter reports them: the tag without '#' or trailing punctuation, and its offsets. */
    private static List<Tweet.Hashtag> entities(String text) {
        List<Tweet.Hashtag> tags = new ArrayList<>();
        int offset = 0;
        for (String token : text.split(" ")) {
            String tag = token.startsWith("#") ? token.substring(1).replaceAll("[^\\p{Alnum}_]+$", "") : "";
            if (!tag.isEmpty()) {
                tags.add(new Tweet.Hashtag(tag, List.of(offset, offset + 1 + tag.length())));
            }
            offset += token.length() + 1;
        }
        return tags;
    }
}
