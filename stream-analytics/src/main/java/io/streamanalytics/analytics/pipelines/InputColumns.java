package io.streamanalytics.analytics.pipelines;

import io.streamanalytics.schemas.events.BagpipeSaleEvent;
import io.streamanalytics.schemas.events.ClickEvent;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.events.RandomValueEvent;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.events.Tweet;
import io.streamanalytics.schemas.events.VoterEvent;
import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.function.Function;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The typed columns each input topic becomes after parsing: the wire field names of the reference notebooks
 * (docs/notebooks.md), with the event time as a Spark timestamp. The twitter event time ({@code timestamp_ms},
 * epoch millis as a string) becomes the column {@value #TWEET_TIME}. {@link #of} picks a topic's columns with one
 * case per {@link EventType}.
 */
public enum InputColumns {
    CLICKSTREAM(
            Topics.CLICKSTREAM,
            ClickEvent.class,
            "ts",
            schema(
                    field("Clicks", DataTypes.IntegerType),
                    field("Impressions", DataTypes.IntegerType),
                    field("ts", DataTypes.TimestampType)),
            (ClickEvent e) -> new Object[] {e.clicks(), e.impressions(), timestamp(e.ts())}),
    RANDOM_VALUES(
            Topics.RANDOM_VALUES,
            RandomValueEvent.class,
            "ts",
            schema(field("ts", DataTypes.TimestampType), field("value", DataTypes.IntegerType)),
            (RandomValueEvent e) -> new Object[] {timestamp(e.ts()), e.value()}),
    TWITTER(
            Topics.TWITTER,
            Tweet.class,
            InputColumns.TWEET_TIME,
            schema(
                    field("text", DataTypes.StringType),
                    field("lang", DataTypes.StringType),
                    field(InputColumns.TWEET_TIME, DataTypes.TimestampType)),
            (Tweet e) -> new Object[] {e.text(), e.lang(), timestamp(e.eventTime())}),
    VOTERS(
            Topics.VOTERS,
            VoterEvent.class,
            "timestamp",
            schema(
                    field("gender", DataTypes.StringType),
                    field("age", DataTypes.IntegerType),
                    field("party", DataTypes.StringType),
                    field("timestamp", DataTypes.TimestampType)),
            (VoterEvent e) -> new Object[] {e.gender(), e.age(), e.party(), timestamp(e.timestamp())}),
    SCOTSMEN(
            Topics.SCOTSMEN,
            ScotsmenEvent.class,
            "timestamp",
            schema(
                    field("district", DataTypes.StringType),
                    field("new_scotsmen", DataTypes.IntegerType),
                    field("timestamp", DataTypes.TimestampType)),
            (ScotsmenEvent e) -> new Object[] {e.district(), e.newScotsmen(), timestamp(e.timestamp())}),
    BAGPIPE(
            Topics.BAGPIPE,
            BagpipeSaleEvent.class,
            "timestamp",
            schema(
                    field("district", DataTypes.StringType),
                    field("bagpipe_sales", DataTypes.IntegerType),
                    field("timestamp", DataTypes.TimestampType)),
            (BagpipeSaleEvent e) -> new Object[] {e.district(), e.bagpipeSales(), timestamp(e.timestamp())});

    public static final String TWEET_TIME = "timestamp";

    static {
        for (EventType type : EventType.values()) {
            if (of(type).topic != type) {
                throw new IllegalStateException("InputColumns.of(" + type + ") gives the columns of " + of(type).topic);
            }
        }
    }

    private final EventType topic;
    private final String eventTimeColumn;
    private final StructType schema;
    private final Function<Event, Object[]> values;

    <E extends Event> InputColumns(
            EventType topic,
            Class<E> recordClass,
            String eventTimeColumn,
            StructType schema,
            Function<E, Object[]> values) {
        if (topic.recordClass() != recordClass) {
            throw new IllegalArgumentException(topic.topicName() + " carries "
                    + topic.recordClass().getSimpleName() + ", not " + recordClass.getSimpleName());
        }
        this.topic = topic;
        this.eventTimeColumn = eventTimeColumn;
        this.schema = schema;
        this.values = event -> values.apply(recordClass.cast(event));
    }

    /** The columns of a topic: one case per event type, so a new type does not compile until it has its columns. */
    public static InputColumns of(EventType topic) {
        return switch (topic) {
            case CLICKSTREAM -> InputColumns.CLICKSTREAM;
            case RANDOM_VALUES -> InputColumns.RANDOM_VALUES;
            case TWITTER -> InputColumns.TWITTER;
            case VOTERS -> InputColumns.VOTERS;
            case SCOTSMEN -> InputColumns.SCOTSMEN;
            case BAGPIPE -> InputColumns.BAGPIPE;
        };
    }

    public EventType topic() {
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
