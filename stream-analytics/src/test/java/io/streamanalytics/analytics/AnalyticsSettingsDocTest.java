package io.streamanalytics.analytics;

import io.streamanalytics.testing.DocumentedSettings;
import org.junit.jupiter.api.Test;

class AnalyticsSettingsDocTest {

    @Test
    void shouldDocumentExactlyTheDeclaredSettings() {
        DocumentedSettings.assertDocumented(
                "docs/pipelines.md", "stream-analytics", AnalyticsConfig.SETTINGS.markdownTable());
    }
}
