package io.streamanalytics.schemas.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Topic {@code twitter}: the subset of a Twitter v1.1 status object that the hashtag notebook (docs/notebooks.md)
 * reads. Event time is {@code timestamp_ms} (a string of epoch milliseconds, as Twitter sends it). Only
 * {@code text}, {@code timestamp_ms} and {@code user} are required; the other fields may be absent (null).
 */
@JsonPropertyOrder({"created_at", "id", "id_str", "text", "timestamp_ms", "lang", "user", "entities"})
public record Tweet(
        @JsonProperty("created_at") String createdAt,
        Long id,
        @JsonProperty("id_str") String idStr,
        String text,
        @JsonProperty("timestamp_ms") String timestampMs,
        String lang,
        User user,
        Entities entities)
        implements Event {

    /** Twitter's {@code created_at} format, e.g. {@code Fri Jul 29 12:46:00 +0000 2016}. */
    public static final DateTimeFormatter CREATED_AT_FORMAT = DateTimeFormatter.ofPattern(
                    "EEE MMM dd HH:mm:ss Z yyyy", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Override
    @JsonIgnore
    public Instant eventTime() {
        return Instant.ofEpochMilli(Long.parseLong(timestampMs));
    }

    @JsonPropertyOrder({"id", "id_str", "name", "screen_name", "lang", "followers_count"})
    public record User(
            Long id,
            @JsonProperty("id_str") String idStr,
            String name,
            @JsonProperty("screen_name") String screenName,
            String lang,
            @JsonProperty("followers_count") Integer followersCount) {}

    public record Entities(List<Hashtag> hashtags) {}

    /** A hashtag without its {@code #}, and its [start, end) character offsets in {@code text}. */
    public record Hashtag(String text, List<Integer> indices) {}
}
