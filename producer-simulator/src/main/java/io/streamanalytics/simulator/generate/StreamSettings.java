package io.streamanalytics.simulator.generate;

/**
 * Everything that shapes one event stream besides its content.
 *
 * @param malformedFraction exactly {@code floor(n * fraction)} of the first n records are malformed (to a
 *                          millionth), evenly spread, so that a test knows the count in advance
 */
public record StreamSettings(TrafficShape shape, Disorder disorder, double malformedFraction) {

    public StreamSettings {
        Disorder.requireFraction("malformed fraction", malformedFraction);
    }
}
