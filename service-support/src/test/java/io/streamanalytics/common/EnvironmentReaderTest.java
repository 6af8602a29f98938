package io.streamanalytics.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentReaderTest {

    @Test
    void shouldTreatBlankAsUnsetAndTrimValues() {
        EnvironmentReader reader = new EnvironmentReader(Map.of("A", "  ", "B", " value ", "N", " 42 "));

        assertThat(reader.optional("A")).isEmpty();
        assertThat(reader.string("A", "fallback")).isEqualTo("fallback");
        assertThat(reader.optional("B")).isEqualTo(Optional.of("value"));
        assertThat(reader.integer("N", 1, 0, 100)).isEqualTo(42);
        assertThat(reader.integer("MISSING", 7, 0, 100)).isEqualTo(7);
        assertThat(reader.duration("MISSING", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        reader.requireValid();
    }

    @Test
    void shouldNameEveryInvalidVariableInOneErrorInTheOrderRead() {
        EnvironmentReader reader = new EnvironmentReader(Map.of(
                "PORT", "http", "POOL", "1", "TRIGGER", "soon", "BIG", "99999999999"));

        assertThat(reader.integer("PORT", 8080, 0, 65_535)).isEqualTo(8080);
        assertThat(reader.integer("POOL", 8, 2, 200)).isEqualTo(8);
        assertThat(reader.duration("TRIGGER", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(reader.integer("BIG", 3, 1, Integer.MAX_VALUE)).isEqualTo(3);
        reader.problem("MODE must be fast or slow");

        assertThatThrownBy(reader::requireValid)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid configuration:\n"
                        + "  PORT must be an integer, got 'http'\n"
                        + "  POOL must be between 2 and 200, got 1\n"
                        + "  TRIGGER: not a duration such as 500ms, 10s, 5m, 1h or PT5M: 'soon'\n"
                        + "  BIG must be between 1 and 2147483647, got 99999999999\n"
                        + "  MODE must be fast or slow");
    }
}
