package io.streamanalytics.schemas.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The static dimension table: the 18 districts of Portugal plus Açores and Madeira, spelled exactly as in
 * {@value #RESOURCE} (2011 census, Statistics Portugal).
 */
public final class Districts {

    /** Classpath location (source: {@code common-schemas/src/main/resources}), header {@code district,pop}. */
    public static final String RESOURCE = "/portugal_district_population.csv";

    /** Every district, in the file's order. */
    public static final List<District> ALL = load();

    public static final Set<String> NAMES = ALL.stream().map(District::name).collect(Collectors.toUnmodifiableSet());

    private Districts() {}

    public static long totalPopulation() {
        return ALL.stream().mapToLong(District::population).sum();
    }

    /** The raw CSV, for readers (such as Spark) that want the file itself. */
    public static InputStream openCsv() {
        InputStream in = Districts.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the classpath");
        }
        return in;
    }

    private static List<District> load() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(openCsv(), StandardCharsets.UTF_8))) {
            List<District> districts = new ArrayList<>();
            String header = reader.readLine();
            if (!"district,pop".equals(header)) {
                throw new IllegalStateException(RESOURCE + ": unexpected header " + header);
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                districts.add(new District(cells[0].trim(), Long.parseLong(cells[1].trim())));
            }
            return List.copyOf(districts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
