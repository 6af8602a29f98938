package io.streamanalytics.simulator.generate;

import io.streamanalytics.schemas.events.ClickEvent;
import java.time.Instant;
import java.util.SplittableRandom;

/** Ad-serving intervals: a handful of impressions each, a few percent of them clicked (never more clicks than impressions). */
public final class ClickstreamFactory implements EventFactory<ClickEvent> {

    private static final int MAX_IMPRESSIONS = 40;
    private static final double BASE_CLICK_THROUGH_RATE = 0.04;

    @Override
    public ClickEvent create(Instant eventTime, long sequence, SplittableRandom random) {
        int impressions = 1 + random.nextInt(MAX_IMPRESSIONS);
        // The click-through rate drifts between campaigns; each impression is clicked independently.
        double ctr = BASE_CLICK_THROUGH_RATE * (0.5 + random.nextDouble());
        int clicks = 0;
        for (int i = 0; i < impressions; i++) {
            if (random.nextDouble() < ctr) {
                clicks++;
            }
        }
        return new ClickEvent(clicks, impressions, eventTime);
    }
}
