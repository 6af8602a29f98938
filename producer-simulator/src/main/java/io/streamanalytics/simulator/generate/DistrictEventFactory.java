package io.streamanalytics.simulator.generate;

import io.streamanalytics.schemas.events.BagpipeSaleEvent;
import io.streamanalytics.schemas.events.Event;
import io.streamanalytics.schemas.events.ScotsmenEvent;
import io.streamanalytics.schemas.reference.District;
import io.streamanalytics.schemas.reference.Districts;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Events of the scotsmen story, per district: the district is drawn with weight {@code population^skew}
 * (skew 1: proportional to population, 0: uniform), the amount from 1 up to a maximum.
 */
public final class DistrictEventFactory<E extends Event> implements EventFactory<E> {

    /** Builds the event from the drawn district name, amount and time. */
    @FunctionalInterface
    private interface Constructor<E> {
        E make(String district, int amount, Instant eventTime);
    }

    private final WeightedSampler<District> districts;
    private final int maxAmount;
    private final Constructor<E> constructor;

    private DistrictEventFactory(double skew, int maxAmount, Constructor<E> constructor) {
        this.districts = WeightedSampler.skewed(Districts.ALL, District::population, skew);
        this.maxAmount = maxAmount;
        this.constructor = constructor;
    }

    /** Conversions: 1–10 new scotsmen an event. */
    public static DistrictEventFactory<ScotsmenEvent> scotsmen(double skew) {
        return new DistrictEventFactory<>(skew, 10, ScotsmenEvent::new);
    }

    /** Sales: 1–5 bagpipes an event. */
    public static DistrictEventFactory<BagpipeSaleEvent> bagpipes(double skew) {
        return new DistrictEventFactory<>(skew, 5, BagpipeSaleEvent::new);
    }

    @Override
    public E create(Instant eventTime, long sequence, SplittableRandom random) {
        return constructor.make(districts.sample(random).name(), 1 + random.nextInt(maxAmount), eventTime);
    }
}
