package io.streamanalytics.schemas.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DistrictsTest {

    @Test
    void shouldShipTheTwentyDistrictsOfThe2011Census() {
        assertThat(Districts.ALL).hasSize(20);
        assertThat(Districts.totalPopulation()).isEqualTo(10_562_178L);
        assertThat(Districts.ALL)
                .contains(
                        new District("Lisboa", 2_250_533),
                        new District("Açores", 246_772),
                        new District("Évora", 166_726));
    }
}
