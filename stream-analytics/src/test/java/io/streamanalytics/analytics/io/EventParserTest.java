package io.streamanalytics.analytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.streamanalytics.analytics.SparkTestSession;
import io.streamanalytics.analytics.pipelines.InputColumns;
import io.streamanalytics.analytics.pipelines.MemoryInput;
import io.streamanalytics.schemas.topics.DeadLetter;
import io.streamanalytics.schemas.validate.EventValidator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class EventParserTest {

    private static final StructType KAFKA_RECORD = new StructType()
            .add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType)
            .add("value", DataTypes.BinaryType);

    private final SparkSession spark = SparkTestSession.get();

    @Test
    void shouldSendEveryKindOfBadRecordToDeadLettersCountThemAndKeepTheGoodOnes() throws Exception {
        MemoryInput kafka = MemoryInput.of(spark, KAFKA_RECORD);
        kafka.add(
                record(0, "{\"district\":\"Lisboa\",\"new_scotsmen\":5,\"timestamp\":\"2024-12-03T10:12:47Z\"}"),
                record(1, "not json {"),
                record(2, "{\"district\":\"Lisboa\",\"timestamp\":\"2024-12-03T10:12:47Z\"}"),
                record(3, "{\"district\":\"Lisboa\",\"new_scotsmen\":\"five\",\"timestamp\":\"2024-12-03T10:12:47Z\"}"),
                record(4, "{\"district\":\"Lisboa\",\"new_scotsmen\":5,\"timestamp\":\"1970-01-01T00:00:00Z\"}"),
                record(5, "{\"district\":\"Lisboa\",\"new_scotsmen\":5,\"timestamp\":\"2999-01-01T00:00:00Z\"}"),
                new Object[] {"scotsmen", 0, 6L, null},
                record(7, "{\"district\":\"Porto\",\"new_scotsmen\":1,\"timestamp\":\"2024-12-03T10:12:47\"}"),
                record(8, "{\"district\":\"Faro\",\"new_scotsmen\":2,\"timestamp\":\"2024-12-03T11:12:47+01:00\"}"),
                record(9, "{\"district\":\"Beja\",\"new_scotsmen\":3,\"timestamp\":\"2024-12-03T10:12:47Z\",\"x\":1}"),
                record(10, "[1,2]"),
                record(11, "{\"district\":\"Atlantis\",\"new_scotsmen\":5,\"timestamp\":\"2024-12-03T10:12:47Z\"}"));
        CollectingDeadLetterSink sink = new CollectingDeadLetterSink();
        ParsedInput parsed =
                EventParser.parse(kafka.toDF(), InputColumns.SCOTSMEN, EventValidator.Limits.DEFAULT, sink);

        StreamingQuery query = parsed.eventsCountingRejected("dead_letters.scotsmen", "count")
                .writeStream()
                .format("memory")
                .queryName("parsed_events_" + System.nanoTime())
                .start();
        List<Row> events;
        try {
            query.processAllAvailable();
            events = spark.table(query.name()).collectAsList();
            assertThat(query.lastProgress()
                            .observedMetrics()
                            .get("dead_letters.scotsmen")
                            .<Long>getAs("count"))
                    .as("rejected records counted in the batch's progress")
                    .isEqualTo(8L);
        } finally {
            query.stop();
        }
        List<DeadLetter> deadLetters = sink.received();

        assertThat(events)
                .extracting(
                        r -> r.getString(0),
                        r -> r.getInt(1),
                        r -> r.getTimestamp(2).toInstant())
                .containsExactlyInAnyOrder(
                        tuple("Lisboa", 5, Instant.parse("2024-12-03T10:12:47Z")),
                        tuple("Porto", 1, Instant.parse("2024-12-03T10:12:47Z")),
                        tuple("Faro", 2, Instant.parse("2024-12-03T10:12:47Z")),
                        tuple("Beja", 3, Instant.parse("2024-12-03T10:12:47Z")));
        assertThat(deadLetters)
                .extracting(DeadLetter::offset)
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 10L, 11L);
        assertThat(deadLetters).allSatisfy(letter -> {
            assertThat(letter.sourceTopic()).isEqualTo("scotsmen");
            assertThat(letter.partition()).isZero();
            assertThat(letter.seenAt()).isNotNull();
        });
        assertThat(errorAt(deadLetters, 1)).startsWith("not JSON");
        assertThat(errorAt(deadLetters, 2)).contains("new_scotsmen").contains("required");
        assertThat(errorAt(deadLetters, 3)).contains("new_scotsmen").contains("integer");
        assertThat(errorAt(deadLetters, 4)).contains("before 2000-01-01");
        assertThat(errorAt(deadLetters, 5)).contains("ahead of the clock");
        assertThat(errorAt(deadLetters, 6)).isEqualTo("record has no value (a tombstone)");
        assertThat(errorAt(deadLetters, 10)).isEqualTo("not a JSON object");
        assertThat(errorAt(deadLetters, 11)).contains("district");
        assertThat(deadLetters.stream()
                        .filter(letter -> letter.offset() == 1)
                        .findFirst()
                        .orElseThrow()
                        .raw())
                .isEqualTo("not json {");
    }

    @Test
    void shouldTakeTweetEventTimeFromTimestampMillis() throws Exception {
        MemoryInput kafka = MemoryInput.of(spark, KAFKA_RECORD);
        kafka.add(new Object[] {
            "twitter",
            0,
            0L,
            bytes("{\"text\":\"I posted #video\",\"timestamp_ms\":\"1469796360659\","
                    + "\"lang\":\"en\",\"user\":{\"id_str\":\"810489374\",\"screen_name\":\"nineemperor1\"}}")
        });
        List<Row> events = drain(
                EventParser.parse(
                                kafka.toDF(),
                                InputColumns.TWITTER,
                                EventValidator.Limits.DEFAULT,
                                DeadLetterSink.DISCARD)
                        .events(),
                "tweets");

        assertThat(events).singleElement().satisfies(r -> {
            assertThat(r.<String>getAs("text")).isEqualTo("I posted #video");
            assertThat(r.getTimestamp(r.fieldIndex(InputColumns.TWEET_TIME)).toInstant())
                    .isEqualTo(Instant.parse("2016-07-29T12:46:00.659Z"));
        });
    }

    private static String errorAt(List<DeadLetter> deadLetters, long offset) {
        return deadLetters.stream()
                .filter(letter -> letter.offset() == offset)
                .findFirst()
                .orElseThrow()
                .error();
    }

    private List<Row> drain(Dataset<Row> stream, String table) throws TimeoutException {
        StreamingQuery query = stream.writeStream()
                .format("memory")
                .queryName(table + System.nanoTime())
                .start();
        try {
            query.processAllAvailable();
            return spark.table(query.name()).collectAsList();
        } finally {
            query.stop();
        }
    }

    private static Object[] record(long offset, String value) {
        return new Object[] {"scotsmen", 0, offset, bytes(value)};
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
