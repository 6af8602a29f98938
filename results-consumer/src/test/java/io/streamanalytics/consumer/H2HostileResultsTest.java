package io.streamanalytics.consumer;

import java.util.Map;
import java.util.UUID;

/** The hostile records against H2, the embedded default. */
class H2HostileResultsTest extends HostileResultsContractTest {

    private final String url = "jdbc:h2:mem:hostile-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    Map<String, String> database() {
        return Map.of("RESULTS_DB_URL", url);
    }
}
