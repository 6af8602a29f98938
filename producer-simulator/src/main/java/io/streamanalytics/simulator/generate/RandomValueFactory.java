package io.streamanalytics.simulator.generate;

import io.streamanalytics.schemas.events.RandomValueEvent;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A noisy signal around a slow wave, so that the granularity-reduction chart shows what averaging does:
 * the 5-second averages follow the wave while the raw values scatter around it.
 */
public final class RandomValueFactory implements EventFactory<RandomValueEvent> {

    private static final double MEAN = 50;
    private static final double WAVE_AMPLITUDE = 30;
    private static final double WAVE_PERIOD_SECONDS = 300;
    private static final int NOISE = 15;

    @Override
    public RandomValueEvent create(Instant eventTime, long sequence, SplittableRandom random) {
        double phase = 2 * Math.PI * (eventTime.toEpochMilli() / 1000.0) / WAVE_PERIOD_SECONDS;
        int value = (int) Math.round(MEAN + WAVE_AMPLITUDE * Math.sin(phase)) + random.nextInt(-NOISE, NOISE + 1);
        return new RandomValueEvent(eventTime, value);
    }
}
