package io.streamanalytics.consumer;

import io.streamanalytics.testing.DocumentedSettings;
import org.junit.jupiter.api.Test;

class ResultsConsumerSettingsDocTest {

    @Test
    void shouldDocumentExactlyTheDeclaredSettings() {
        DocumentedSettings.assertDocumented(
                "docs/results-consumer.md", "results-consumer", ResultsConsumerConfig.SETTINGS.markdownTable());
    }
}
