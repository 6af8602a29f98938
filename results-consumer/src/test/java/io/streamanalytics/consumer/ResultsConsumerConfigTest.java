package io.streamanalytics.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsConsumerConfigTest {

    @Test
    void shouldUseTheDocumentedDefaultsForAnEmptyEnvironment() {
        ResultsConsumerConfig config = ResultsConsumerConfig.fromEnvironment(Map.of());

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.dbUrl()).isEqualTo("jdbc:h2:file:./data/results;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(config.dbUser()).isEqualTo("sa");
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.rawValuesTopic()).isEqualTo("random-values");
        assertThat(config.readinessGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxStreamClients()).isEqualTo(32);
        assertThat(config.httpIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.kafka())
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("group.id", "results-consumer")
                .containsEntry("metadata.max.age.ms", "5000");
        assertThat(config.database().h2Directory().getFileName().toString()).isEqualTo("data");
    }

    @Test
    void shouldPassKafkaVariablesThroughAndTakeTheDatabaseFromTheEnvironment() {
        ResultsConsumerConfig config = ResultsConsumerConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:29092",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "HTTP_PORT", "9090",
                "RESULTS_DB_URL", "jdbc:postgresql://db:5432/results",
                "RESULTS_DB_USER", "results",
                "RESULTS_DB_PASSWORD", "s3cret"));

        assertThat(config.kafka())
                .containsEntry("bootstrap.servers", "broker:29092")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.dbUrl()).isEqualTo("jdbc:postgresql://db:5432/results");
        assertThat(config.dbUser()).isEqualTo("results");
        assertThat(config.dbPassword()).isEqualTo("s3cret");
    }

    @Test
    void shouldNeverShowSecretsWhenLogged() {
        ResultsConsumerConfig config = ResultsConsumerConfig.fromEnvironment(Map.of(
                "KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"k\";",
                "RESULTS_DB_URL", "jdbc:postgresql://db/results?user=r&password=hunter2&ssl=true",
                "RESULTS_DB_PASSWORD", "s3cret"));

        String logged = config.toString();

        assertThat(logged)
                .doesNotContain("hunter2", "s3cret", "PlainLoginModule")
                .contains("password=[redacted]&ssl=true", "dbPassword=[redacted]", "sasl.jaas.config=[redacted]");
    }

    @Test
    void shouldNameEveryInvalidVariableAtOnce() {
        assertThatThrownBy(() -> ResultsConsumerConfig.fromEnvironment(Map.of(
                        "HTTP_PORT", "http",
                        "RESULTS_DB_URL", "jdbc:mysql://db/results",
                        "RESULTS_DB_POOL_SIZE", "1",
                        "KAFKA_ENABLE_AUTO_COMMIT", "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid configuration:\n  "
                        + "KAFKA_ENABLE_AUTO_COMMIT=true is not allowed: offsets are stored in the results database\n  "
                        + "HTTP_PORT must be an integer, got 'http'\n  "
                        + "RESULTS_DB_URL must be a jdbc:h2: or jdbc:postgresql: URL, got 'jdbc:mysql://db/results'\n  "
                        + "RESULTS_DB_POOL_SIZE must be between 2 and 200, got 1");
    }

    @Test
    void shouldNameEveryInvalidHealthAndHttpSettingAtOnce() {
        assertThatThrownBy(() -> ResultsConsumerConfig.fromEnvironment(Map.of(
                        "READINESS_GRACE", "soon",
                        "STREAM_MAX_CLIENTS", "0",
                        "HTTP_IDLE_TIMEOUT", "100ms")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid configuration:\n  "
                        + "READINESS_GRACE: not a duration such as 500ms, 10s, 5m, 1h or PT5M: 'soon'\n  "
                        + "STREAM_MAX_CLIENTS must be between 1 and 1000, got 0\n  "
                        + "HTTP_IDLE_TIMEOUT must be at least 1s, got 100ms");
    }
}
