package io.streamanalytics.simulator;

import io.streamanalytics.testing.DocumentedSettings;
import org.junit.jupiter.api.Test;

class SimulatorOptionsDocTest {

    @Test
    void shouldDocumentExactlyTheDeclaredOptions() {
        DocumentedSettings.assertDocumented("docs/simulator.md", "producer-simulator", SimulatorCommand.optionsTable());
    }
}
