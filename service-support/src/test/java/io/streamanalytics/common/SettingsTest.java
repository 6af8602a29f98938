package io.streamanalytics.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    enum Mode {
        FAST,
        SLOW
    }

    static final Setting<Integer> PORT =
            Setting.integer("PORT", 8080, 0, 65_535).doc("where it listens");
    static final Setting<Integer> POOL = Setting.integer("POOL", 8, 2, 200).doc("connections");
    static final Setting<Duration> TRIGGER = Setting.duration("TRIGGER", Duration.ofSeconds(5))
            .check(d -> !d.isNegative(), (name, d) -> name + " cannot be negative, got " + Durations.format(d))
            .doc("how often");
    static final Setting<Long> BIG =
            Setting.longInteger("BIG", 3, 1, Integer.MAX_VALUE).doc("a count");
    static final Setting<Mode> MODE =
            Setting.choice("MODE", Mode.class, Mode.FAST).doc("fast or slow");
    static final Setting<String> URL = Setting.string("URL", "jdbc:h2:mem:x").doc("where | what");
    static final Setting<String> USER = Setting.string("USER", null)
            .defaultValue(values -> values.get(URL).startsWith("jdbc:h2:") ? "sa" : "", "`sa` for H2, empty otherwise")
            .doc("");
    static final Setting<String> PASSWORD =
            Setting.string("PASSWORD", "").secret().doc("never logged");
    static final Setting<String> MASTER = Setting.string("MASTER", null).doc("unset: the default");
    static final Setting<Duration> FAMILY = Setting.duration("<ITEM>_TIMEOUT", null)
            .defaultShown("see each item")
            .doc("one item's timeout");

    static final Settings SETTINGS = Settings.of(PORT, POOL, TRIGGER, BIG, MODE, URL, USER, PASSWORD, MASTER, FAMILY);

    @Test
    void shouldTreatBlankAsUnsetTrimValuesAndUseTheDefaults() {
        Settings.Values values =
                SETTINGS.parse(Map.of("PORT", "  ", "MODE", " Slow ", "POOL", " 42 ", "MASTER", " m "));

        assertThat(values.get(PORT)).isEqualTo(8080);
        assertThat(values.get(POOL)).isEqualTo(42);
        assertThat(values.get(TRIGGER)).isEqualTo(Duration.ofSeconds(5));
        assertThat(values.get(MODE)).isEqualTo(Mode.SLOW);
        assertThat(values.get(MASTER)).isEqualTo("m");
        assertThat(SETTINGS.parse(Map.of()).optional(MASTER)).isEmpty();
    }

    @Test
    void shouldNameEveryInvalidVariableInOneErrorInTheOrderDeclared() {
        assertThatThrownBy(() -> SETTINGS.parse(Map.of(
                        "MODE", "sometimes", "BIG", "99999999999", "TRIGGER", "soon", "POOL", "1", "PORT", "http")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid configuration:\n"
                        + "  PORT must be an integer, got 'http'\n"
                        + "  POOL must be between 2 and 200, got 1\n"
                        + "  TRIGGER: not a duration such as 500ms, 10s, 5m, 1h or PT5M: 'soon'\n"
                        + "  BIG must be between 1 and 2147483647, got 99999999999\n"
                        + "  MODE must be one of [fast, slow], got 'sometimes'");
    }

    @Test
    void shouldReportAFailedCheckWithTheOthersAndTheCallersOwnProblemsLast() {
        Settings.Reader reader = SETTINGS.read(Map.of("TRIGGER", "PT-1S", "PORT", "-1"));
        reader.problem("MODE must be fast or slow");

        assertThat(reader.get(TRIGGER)).as("the default stands in").isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(reader::requireValid)
                .hasMessage("invalid configuration:\n"
                        + "  PORT must be between 0 and 65535, got -1\n"
                        + "  TRIGGER cannot be negative, got -1s\n"
                        + "  MODE must be fast or slow");
    }

    @Test
    void shouldReadAFamilyMemberByItsOwnNameWithItsOwnDefault() {
        Settings.Reader reader = SETTINGS.read(Map.of("DISK_TIMEOUT", "2m", "NET_TIMEOUT", "never"));

        assertThat(reader.read(FAMILY.member("DISK").defaultValue(Duration.ofSeconds(1))))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(reader.read(FAMILY.member("CPU").defaultValue(Duration.ofSeconds(1))))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(reader.read(FAMILY.member("NET").defaultValue(Duration.ofSeconds(1))))
                .isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(reader::requireValid)
                .hasMessage(
                        "invalid configuration:\n  NET_TIMEOUT: not a duration such as 500ms, 10s, 5m, 1h or PT5M: 'never'");
    }

    @Test
    void shouldComputeADefaultFromASettingDeclaredBefore() {
        assertThat(SETTINGS.parse(Map.of()).get(USER)).isEqualTo("sa");
        assertThat(SETTINGS.parse(Map.of("URL", "jdbc:postgresql://db/x")).get(USER))
                .isEmpty();
        assertThat(SETTINGS.parse(Map.of("USER", "me")).get(USER)).isEqualTo("me");
    }

    @Test
    void shouldLookUpEveryDeclaredNameButNoFamilyTemplate() {
        Set<String> asked = new HashSet<>();
        Map<String, String> recording = new HashMap<>() {
            @Override
            public String get(Object key) {
                asked.add((String) key);
                return super.get(key);
            }
        };

        SETTINGS.parse(recording);

        assertThat(asked)
                .containsExactlyInAnyOrder(
                        "PORT", "POOL", "TRIGGER", "BIG", "MODE", "URL", "USER", "PASSWORD", "MASTER");
    }

    @Test
    void shouldRedactSecretsAndShowDurationsShortInTheStartUpLine() {
        Map<String, Object> line = SETTINGS.redacted(SETTINGS.parse(Map.of("PASSWORD", "hunter2", "TRIGGER", "PT90S")));

        assertThat(line.toString())
                .doesNotContain("hunter2")
                .isEqualTo("{port=8080, pool=8, trigger=90s, big=3, mode=FAST, url=jdbc:h2:mem:x, user=sa,"
                        + " password=[redacted], master=unset}");
        assertThat(SETTINGS.redacted(SETTINGS.parse(Map.of()))).containsEntry("password", "");
    }

    @Test
    void shouldRedactKafkaClientSecretsAndKeepTheServicesKafkaDefaults() {
        Setting<Map<String, String>> kafka = Setting.kafkaClient(
                        Map.of("group.id", "mine", "metadata.max.age.ms", "5000"))
                .check(
                        props -> !"true".equalsIgnoreCase(props.get("enable.auto.commit")),
                        (name, props) -> "KAFKA_ENABLE_AUTO_COMMIT=true is not allowed");
        Settings settings = Settings.of(kafka);

        Settings.Values values =
                settings.parse(Map.of("KAFKA_SASL_JAAS_CONFIG", "secret stuff", "KAFKA_GROUP_ID", "theirs"));

        assertThat(values.get(kafka))
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("group.id", "theirs")
                .containsEntry("metadata.max.age.ms", "5000");
        assertThat(settings.redacted(values).toString())
                .doesNotContain("secret stuff")
                .contains("sasl.jaas.config=[redacted]");
        assertThatThrownBy(() -> settings.parse(Map.of("KAFKA_ENABLE_AUTO_COMMIT", "TRUE")))
                .hasMessage("invalid configuration:\n  KAFKA_ENABLE_AUTO_COMMIT=true is not allowed");
        assertThat(settings.markdownTable())
                .contains("| `KAFKA_<NAME>` | `bootstrap.servers=localhost:9092`,"
                        + " `group.id=mine`, `metadata.max.age.ms=5000` |");
    }

    @Test
    void shouldRenderOneTableRowPerSettingWithItsDefaultAndMeaning() {
        assertThat(SETTINGS.markdownTable()).isEqualTo("""
                | variable | default | meaning |
                |---|---|---|
                | `PORT` | `8080` | where it listens |
                | `POOL` | `8` | connections |
                | `TRIGGER` | `5s` | how often |
                | `BIG` | `3` | a count |
                | `MODE` | `fast` | fast or slow |
                | `URL` | `jdbc:h2:mem:x` | where \\| what |
                | `USER` | `sa` for H2, empty otherwise |  |
                | `PASSWORD` | empty | never logged |
                | `MASTER` | unset | unset: the default |
                | `<ITEM>_TIMEOUT` | see each item | one item's timeout |
                """);
    }
}
