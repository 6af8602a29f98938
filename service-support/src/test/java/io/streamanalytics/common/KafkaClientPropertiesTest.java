package io.streamanalytics.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    @Test
    void shouldDefaultBootstrapServersToLocalhost() {
        assertThat(KafkaClientProperties.fromEnvironment(Map.of()).get("bootstrap.servers"))
                .isEqualTo("localhost:9092");
    }

    @Test
    void shouldTurnEveryKafkaVariableIntoAClientPropertyButLaunchScriptOnes() {
        Map<String, String> props = KafkaClientProperties.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:29092",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required;",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "PATH", "/usr/bin"));

        assertThat(props)
                .containsOnly(
                        Map.entry("bootstrap.servers", "broker:29092"),
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry(
                                "sasl.jaas.config",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required;"));
    }

    @Test
    void shouldRedactSecretsButNotSerializerNames() {
        Map<String, String> props = Map.of(
                "sasl.jaas.config",
                "secret stuff",
                "ssl.key.password",
                "pw",
                "ssl.truststore.password",
                "pw",
                "key.serializer",
                "org.apache.kafka.common.serialization.StringSerializer",
                "bootstrap.servers",
                "b:9092");

        assertThat(KafkaClientProperties.redacted(props))
                .containsExactly(
                        Map.entry("bootstrap.servers", "b:9092"),
                        Map.entry("key.serializer", "org.apache.kafka.common.serialization.StringSerializer"),
                        Map.entry("sasl.jaas.config", "[redacted]"),
                        Map.entry("ssl.key.password", "[redacted]"),
                        Map.entry("ssl.truststore.password", "[redacted]"));
    }
}
