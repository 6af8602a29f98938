package io.streamanalytics.consumer.ingest;

import static io.streamanalytics.consumer.TestResults.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamanalytics.consumer.TestResults;
import io.streamanalytics.consumer.store.PipelineCatalog;
import io.streamanalytics.consumer.store.ResultRecord;
import io.streamanalytics.consumer.store.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResultParserTest {

    static final Instant T0 = Instant.parse("2024-12-03T10:12:00Z");
    static final SourcePosition VOTERS = new SourcePosition("results.voter_stats", 1, 7);

    private final ResultParser parser = new ResultParser(new PipelineCatalog());

    @Test
    void shouldReadACataloguedResultWithItsGroupFieldsInKeyOrder() throws MalformedResultException {
        String value = TestResults.value(
                "voter_stats",
                T0,
                Duration.ofMinutes(10),
                fields(
                        "breakdown",
                        "age_party",
                        "age_bucket",
                        2,
                        "party",
                        "Green",
                        "count",
                        4,
                        "start_age",
                        38,
                        "end_age",
                        47),
                T0.plusSeconds(5));

        ResultRecord result = parser.parse(VOTERS, "voter_stats|2024-12-03T10:12:00Z|age_party||2|Green", bytes(value));

        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("breakdown", "age_party");
        groups.put("gender", null);
        groups.put("age_bucket", "2");
        groups.put("party", "Green");
        assertThat(result.groups()).containsExactlyEntriesOf(groups);
        assertThat(result.groupKey()).isEqualTo("age_party||2|Green");
        assertThat(result.metrics())
                .containsOnly(Map.entry("count", 4.0), Map.entry("start_age", 38.0), Map.entry("end_age", 47.0));
        assertThat(result.windowStart()).isEqualTo(T0);
        assertThat(result.windowEnd()).isEqualTo(Instant.parse("2024-12-03T10:22:00Z"));
        assertThat(result.emittedAt()).isEqualTo(Instant.parse("2024-12-03T10:12:05Z"));
        assertThat(result.payload()).isEqualTo(value);
    }

    @Test
    void shouldStoreAnUncataloguedPipelinesTextFieldsInTheOrderTheyWereFirstSeen() throws MalformedResultException {
        SourcePosition source = new SourcePosition("results.sensors", 0, 0);
        parser.parse(
                source,
                "sensors|2024-12-03T10:12:00Z|s1",
                bytes(TestResults.value("sensors", T0, Duration.ofMinutes(1), fields("sensor", "s1", "max", 2), T0)));

        ResultRecord later = parser.parse(
                source,
                "sensors|2024-12-03T10:12:00Z|eu|s2",
                bytes(TestResults.value(
                        "sensors", T0, Duration.ofMinutes(1), fields("region", "eu", "sensor", "s2", "max", 3), T0)));

        assertThat(later.groupKey()).isEqualTo("s2|eu");
        assertThat(later.metrics()).containsOnly(Map.entry("max", 3.0));
    }

    /** Each would fail the database transaction, or write a row the record does not own. */
    @ParameterizedTest(name = "{2}")
    @CsvSource(
            delimiterString = " ## ",
            value = {
                "scotsmen_per_district|2024-12-03T10:15:00Z|Lisboa ## {\"district\":\"Lisboa\",\"total_new_scotsmen\":1} ## key does not match the value: the value's key is scotsmen_per_district|2024-12-03T10:12:00Z|Lisboa",
                "scotsmen_per_district|2024-12-03T10:12:00Z|Porto ## {\"district\":\"Lisboa\",\"total_new_scotsmen\":1} ## key does not match the value: the value's key is scotsmen_per_district|2024-12-03T10:12:00Z|Lisboa",
                "scotsmen_per_district|2024-12-03T10:12:00Z|Lisboa ## {\"district\":\"Lisboa\",\"total_new_scotsmen\":\"many\"} ## metric field total_new_scotsmen must be a number, got STRING",
                "scotsmen_per_district|2024-12-03T10:12:00Z|x ## {\"district\":{\"name\":\"x\"},\"total_new_scotsmen\":1} ## group field district must be a string or a number",
                "scotsmen_per_district|2024-12-03T10:12:00Z|Lis ## {\"district\":\"Lis\\u0000boa\",\"total_new_scotsmen\":1} ## field district contains a NUL character"
            })
    void shouldRejectACataloguedResultThatTheDatabaseCouldNotStoreOrThatNamesAnotherRow(
            String key, String fields, String error) {
        String value = "{\"pipeline\":\"scotsmen_per_district\",\"window_start\":\"2024-12-03T10:12:00Z\","
                + fields.substring(1);

        assertThatThrownBy(() -> parser.parse(
                        new SourcePosition("results.scotsmen_per_district", 0, 0), key.strip(), bytes(value)))
                .isInstanceOf(MalformedResultException.class)
                .hasMessage(error);
    }

    @Test
    void shouldRejectTimestampsBeyondWhatEveryDatabaseStores() {
        String value = "{\"pipeline\":\"scotsmen_per_district\",\"window_start\":\"+300000-01-01T00:00:00Z\","
                + "\"district\":\"Lisboa\"}";

        assertThatThrownBy(() -> parser.parse(
                        new SourcePosition("results.scotsmen_per_district", 0, 0),
                        "scotsmen_per_district|+300000-01-01T00:00:00Z|Lisboa",
                        bytes(value)))
                .isInstanceOf(MalformedResultException.class)
                .hasMessage("window_start +300000-01-01T00:00:00Z is outside 1970-01-01T00:00:00Z to "
                        + "9999-12-31T23:59:59.999999Z, what every supported database stores");
    }

    @Test
    void shouldRejectAPipelineNameLongerThanItsColumn() {
        String pipeline = "p".repeat(ResultParser.MAX_PIPELINE_CHARS + 1);

        assertThatThrownBy(() ->
                        parser.parse(new SourcePosition("results." + pipeline, 0, 0), pipeline + "|x", bytes("{}")))
                .isInstanceOf(MalformedResultException.class)
                .hasMessage("pipeline name of topic is longer than 200 characters");
    }

    @Test
    void shouldRejectAGroupFieldNameThatCannotBeStoredInTheCatalogue() {
        String value = TestResults.value("sensors", T0, Duration.ofMinutes(1), fields("a,b", "s1", "max", 2), T0);

        assertThatThrownBy(() -> parser.parse(
                        new SourcePosition("results.sensors", 0, 0), "sensors|2024-12-03T10:12:00Z|s1", bytes(value)))
                .isInstanceOf(MalformedResultException.class)
                .hasMessage("group field name 'a,b' contains a comma");
    }

    @Test
    void shouldRejectARecordWithoutAKey() {
        String value = TestResults.value(
                "scotsmen_per_district",
                T0,
                Duration.ofMinutes(3),
                fields("district", "Lisboa", "total_new_scotsmen", 3),
                T0);

        assertThatThrownBy(() ->
                        parser.parse(new SourcePosition("results.scotsmen_per_district", 0, 0), null, bytes(value)))
                .isInstanceOf(MalformedResultException.class)
                .hasMessage("missing key; it must be <pipeline>|<window_start>|<group values>");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json                                                            | not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "[1,2]                                                               | not a JSON object: [1,2]",
                "{\"window_start\":\"2024-12-03T10:12:00Z\"}                         | missing pipeline",
                "{\"pipeline\":\"scotsmen\",\"window_start\":\"2024-12-03T10:12:00Z\"} | pipeline 'scotsmen' does not match topic results.voter_stats",
                "{\"pipeline\":\"voter_stats\"}                                      | missing window_start",
                "{\"pipeline\":\"voter_stats\",\"window_start\":42}                  | window_start must be a non-empty string",
                "{\"pipeline\":\"voter_stats\",\"window_start\":\"yesterday\"}       | window_start is not an ISO-8601 timestamp: yesterday",
                "{\"pipeline\":\"voter_stats\",\"window_start\":\"2024-12-03T10:12:00Z\",\"emitted_at\":1} | emitted_at must be an ISO-8601 string"
            })
    void shouldRejectRecordsThatBreakTheContract(String value, String error) {
        assertThatThrownBy(() -> parser.parse(VOTERS, "k", bytes(value)))
                .isInstanceOf(MalformedResultException.class)
                .hasMessage(error);
    }

    @Test
    void shouldRejectAnUncataloguedPipelineWithMoreGroupFieldsThanColumns() {
        String value = TestResults.value(
                "wide",
                T0,
                Duration.ofMinutes(1),
                fields("a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "n", 1),
                T0);

        assertThatThrownBy(() -> parser.parse(new SourcePosition("results.wide", 0, 0), "wide|x", bytes(value)))
                .isInstanceOf(MalformedResultException.class)
                .hasMessage("value has 5 text fields [a, b, c, d, e]; at most 4 group fields are supported");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
