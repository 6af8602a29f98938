package io.streamanalytics.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms,      500",
        "250 milliseconds, 250",
        "10s,        10000",
        "30 seconds, 30000",
        "1 second,   1000",
        "5m,         300000",
        "2min,       120000",
        "5 Minutes,  300000",
        "1h,         3600000",
        "2 hours,    7200000",
        "3d,         259200000",
        "1 day,      86400000",
        "PT5M,       300000",
        "pt1.5s,     1500",
        "0,          0"
    })
    void shouldReadEverySpellingTheServicesDocument(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"five minutes", "5", "-5s", "5 fortnights", "P"})
    void shouldRefuseTextThatIsNoDurationNamingTheAcceptedSpellings(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a duration such as 500ms, 10s, 5m, 1h or PT5M: '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "7200000, 2h", "300000, 5m", "30000, 30s", "1500, 1500ms"})
    void shouldFormatInTheShortestExactUnit(long millis, String expected) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
