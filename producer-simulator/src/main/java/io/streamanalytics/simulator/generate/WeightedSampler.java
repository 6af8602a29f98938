package io.streamanalytics.simulator.generate;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** Draws items with fixed relative weights (inverse CDF over cumulative weights, O(log n) a draw). */
public final class WeightedSampler<T> {

    private final List<T> items;
    private final double[] cumulative;

    private WeightedSampler(List<T> items, double[] weights) {
        if (items.isEmpty() || items.size() != weights.length) {
            throw new IllegalArgumentException("need one weight per item, and at least one item");
        }
        this.items = List.copyOf(items);
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weight of " + items.get(i) + " is " + weights[i]);
            }
            sum += weights[i];
            cumulative[i] = sum;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("weights sum to zero");
        }
    }

    public static <T> WeightedSampler<T> of(List<T> items, ToDoubleFunction<T> weight) {
        return new WeightedSampler<>(items, items.stream().mapToDouble(weight).toArray());
    }

    /**
     * Weights {@code base^skew}: skew 0 is uniform, 1 proportional to {@code base}, above 1 more concentrated
     * on the largest. This is how key skew is controlled (districts by population).
     */
    public static <T> WeightedSampler<T> skewed(List<T> items, ToDoubleFunction<T> base, double skew) {
        return of(items, item -> Math.pow(base.applyAsDouble(item), skew));
    }

    /** Zipf weights {@code 1/rank^exponent} in list order: a few items dominate, a long tail stays. */
    public static <T> WeightedSampler<T> zipf(List<T> items, double exponent) {
        double[] weights = new double[items.size()];
        for (int rank = 1; rank <= weights.length; rank++) {
            weights[rank - 1] = 1.0 / Math.pow(rank, exponent);
        }
        return new WeightedSampler<>(items, weights);
    }

    public T sample(SplittableRandom random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, u);
        // binarySearch returns -(insertion point) - 1 when u falls between two cumulative weights.
        int index = i >= 0 ? i + 1 : -i - 1;
        return items.get(Math.min(index, items.size() - 1));
    }

    /** The probability of each item, in list order (for tests and documentation). */
    public double probability(int index) {
        double previous = index == 0 ? 0 : cumulative[index - 1];
        return (cumulative[index] - previous) / cumulative[cumulative.length - 1];
    }
}
