package io.streamanalytics.simulator.generate;

import io.streamanalytics.schemas.events.VoterEvent;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/** Votes with a plausible electorate: adult ages, a gender mix, and party preference that shifts with age. */
public final class VoterFactory implements EventFactory<VoterEvent> {

    private static final WeightedSampler<String> GENDERS =
            WeightedSampler.of(List.of("female", "male", "other"), g -> switch (g) {
                case "female" -> 51;
                case "male" -> 47;
                default -> 2;
            });
    /** Age bands [from, to] weighted like an adult population. */
    private static final WeightedSampler<int[]> AGE_BANDS = WeightedSampler.of(
            List.of(
                    new int[] {18, 27},
                    new int[] {28, 37},
                    new int[] {38, 47},
                    new int[] {48, 57},
                    new int[] {58, 67},
                    new int[] {68, 77},
                    new int[] {78, 95}),
            band -> switch (band[0]) {
                case 18 -> 14;
                case 28, 38, 48 -> 17;
                case 58 -> 15;
                case 68 -> 12;
                default -> 8;
            });

    static final List<String> PARTIES = List.of("Democrat", "Republican", "Independent", "Green", "Libertarian");
    private static final WeightedSampler<String> YOUNGER_VOTE = WeightedSampler.of(PARTIES, p -> switch (p) {
        case "Democrat" -> 40;
        case "Republican" -> 25;
        case "Independent" -> 15;
        case "Green" -> 12;
        default -> 8;
    });
    private static final WeightedSampler<String> OLDER_VOTE = WeightedSampler.of(PARTIES, p -> switch (p) {
        case "Democrat" -> 33;
        case "Republican" -> 42;
        case "Independent" -> 15;
        case "Green" -> 4;
        default -> 6;
    });
    private static final int OLDER_FROM_AGE = 48;

    @Override
    public VoterEvent create(Instant eventTime, long sequence, SplittableRandom random) {
        int[] band = AGE_BANDS.sample(random);
        int age = random.nextInt(band[0], band[1] + 1);
        String party = (age < OLDER_FROM_AGE ? YOUNGER_VOTE : OLDER_VOTE).sample(random);
        return new VoterEvent(GENDERS.sample(random), age, party, eventTime);
    }
}
