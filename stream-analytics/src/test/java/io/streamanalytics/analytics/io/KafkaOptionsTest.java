package io.streamanalytics.analytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaOptionsTest {

    @Test
    void shouldPassClientSettingsButThoseSparkManages() {
        assertThat(KafkaOptions.forSpark(Map.of(
                        "bootstrap.servers", "b:9092", "security.protocol", "SSL", "auto.offset.reset", "latest")))
                .isEqualTo(Map.of("kafka.bootstrap.servers", "b:9092", "kafka.security.protocol", "SSL"));
    }

    @Test
    void shouldGiveEveryQuerysSinkAClientIdOfItsOwnSoThatNoTwoShareAProducer() {
        assertThat(KafkaOptions.forSink(Map.of("bootstrap.servers", "b:9092"), "voter_stats"))
                .containsEntry("kafka.client.id", "stream-analytics-voter_stats");
        assertThat(KafkaOptions.forSink(Map.of("bootstrap.servers", "b:9092", "client.id", "acme"), "voter_stats"))
                .containsEntry("kafka.client.id", "acme-voter_stats");
    }
}
