package io.streamanalytics.simulator.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamanalytics.schemas.reference.District;
import io.streamanalytics.schemas.reference.Districts;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedSamplerTest {

    private static final int LISBOA = 10;
    private static final int PORTALEGRE = 11;

    @Test
    void shouldWeighDistrictsByPopulationAtSkewOne() {
        WeightedSampler<District> sampler = WeightedSampler.skewed(Districts.ALL, District::population, 1.0);

        assertThat(sampler.probability(LISBOA)).isCloseTo(2_250_533 / 10_562_178.0, within(1e-12));
        assertThat(sampler.probability(PORTALEGRE)).isCloseTo(118_506 / 10_562_178.0, within(1e-12));
    }

    @Test
    void shouldBeUniformAtSkewZeroAndMoreConcentratedAboveOne() {
        WeightedSampler<District> uniform = WeightedSampler.skewed(Districts.ALL, District::population, 0);
        WeightedSampler<District> steep = WeightedSampler.skewed(Districts.ALL, District::population, 2);

        assertThat(uniform.probability(LISBOA)).isCloseTo(1 / 20.0, within(1e-12));
        double squares = Districts.ALL.stream()
                .mapToDouble(d -> Math.pow(d.population(), 2))
                .sum();
        assertThat(steep.probability(LISBOA)).isCloseTo(Math.pow(2_250_533, 2) / squares, within(1e-12));
    }

    @Test
    void shouldDrawInProportionToWeight() {
        WeightedSampler<String> sampler =
                WeightedSampler.of(List.of("a", "b", "c"), s -> s.equals("a") ? 6 : s.equals("b") ? 3 : 1);
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[3];
        for (int i = 0; i < 100_000; i++) {
            counts[sampler.sample(random).charAt(0) - 'a']++;
        }
        // Binomial standard deviations are about 155, 145 and 95: allow five.
        assertThat(counts[0]).isBetween(60_000 - 775, 60_000 + 775);
        assertThat(counts[1]).isBetween(30_000 - 725, 30_000 + 725);
        assertThat(counts[2]).isBetween(10_000 - 475, 10_000 + 475);
    }

    @Test
    void shouldGiveZipfWeightsByRank() {
        WeightedSampler<String> sampler = WeightedSampler.zipf(List.of("x", "y", "z"), 1.0);
        double total = 1 + 1 / 2.0 + 1 / 3.0;

        assertThat(sampler.probability(0)).isCloseTo(1 / total, within(1e-12));
        assertThat(sampler.probability(2)).isCloseTo((1 / 3.0) / total, within(1e-12));
    }
}
