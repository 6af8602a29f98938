package io.streamanalytics.analytics.pipelines;

import io.streamanalytics.schemas.events.BagpipeSaleEvent;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.events.Tweet;
import io.streamanalytics.schemas.events.VoterEvent;
import io.streamanalytics.schemas.topics.EventTopic;
import io.streamanalytics.schemas.topics.Topics;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The typed columns each input topic becomes after parsing: the wire field names of the reference notebooks
 * (docs/notebooks.md), with the event time as a Spark timestamp. The twitter event time ({@code timestamp_ms},
 * epoch millis as a string) becomes the column {@value #TWEET_TIME}.
 */
public enum InputColumns {

    CLICKSTREAM(Topics.CLICKSTREAM, "ts",
            schema(field("Clicks", DataTypes.IntegerType), field("Impressions", DataTypes.IntegerType),
                    field("ts", DataTypes.TimestampType)),
            (ClickEvent e) -> new Object[] {e.clicks(), e.impressions(), timestamp(e.ts())}),
    RANDOM_VALUES(Topics.RANDOM_VALUES, "ts",
            schema(field("ts", DataTypes.TimestampType), field("value", DataTypes.IntegerType)),
            (RandomValueEvent e) -> new Object[] {timestamp(e.ts()), e.value()}),
    TWITTER(Topics.TWITTER, InputColumns.TWEET_TIME,
            schema(field("text", DataTypes.StringType), field("lang", DataTypes.StringType),
                    field(InputColumns.TWEET_TIME, DataTypes.TimestampType)),
            (Tweet e) -> new Object[] {e.text(), e.lang(), timestamp(e.eventTime())}),
    VOTERS(Topics.VOTERS, "timestamp",
            schema(field("gender", DataTypes.StringType), field("age", DataTypes.IntegerType),
                    field("party", DataTypes.StringType), field("timestamp", DataTypes.TimestampType)),
            (VoterEvent e) -> new Object[] {e.gender(), e.age(), e.party(), timestamp(e.timestamp())}),
    SCOTSMEN(Topics.SCOTSMEN, "timestamp",
            schema(field("district", DataTypes.StringType), field("new_scotsmen", DataTypes.IntegerType),
                    field("timestamp", DataTypes.TimestampType)),
            (ScotsmenEvent e) -> new Object[] {e.district(), e.newScotsmen(), timestamp(e.timestamp())}),
    BAGPIPE(Topics.BAGPIPE, "timestamp",
            schema(field("district", DataTypes.StringType), field("bagpipe_sales", DataTypes.IntegerType),
                    field("timestamp", DataTypes.TimestampType)),
            (BagpipeSaleEvent e) -> new Object[] {e.district(), e.bagpipeSales(), timestamp(e.timestamp())});

    public static final String TWEET_TIME = "timestamp";

    private final EventTopic<?> topic;
    private final String eventTimeColumn;
    private final StructType schema;
    private final Function<Event, Object[]> values;

    <E extends Event> InputColumns(EventTopic<E> topic, String eventTimeColumn, StructType schema,
            Function<E, Object[]> values) {
        this.topic = topic;
        this.eventTimeColumn = eventTimeColumn;
        this.schema = schema;
        this.values = event -> values.apply(topic.valueType().cast(event));
    }

    public static InputColumns of(EventTopic<?> topic) {
        return Arrays.stream(values())
                .filter(c -> c.topic.equals(topic))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no columns defined for topic " + topic.topicName()));
    }

    public EventTopic<?> topic() {
        return topic;
    }

    public String eventTimeColumn() {
        return eventTimeColumn;
    }

    public StructType schema() {
        return schema;
    }

    /** The column values of a valid event of this topic, in {@link #schema()} order. */
    public Object[] valuesOf(Event event) {
        return values.apply(event);
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant);
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private static StructType schema(StructField... fields) {
        return DataTypes.createStructType(fields);
    }
}
