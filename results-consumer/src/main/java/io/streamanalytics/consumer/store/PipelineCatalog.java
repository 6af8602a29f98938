package io.streamanalytics.consumer.store;

import io.streamanalytics.schemas.results.PipelineResult;
import io.streamanalytics.schemas.results.PipelineResults;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The group fields of every pipeline, in column order: the catalogue's for known pipelines; for a pipeline outside
 * the catalogue, its string-valued non-standard fields in the order they were first seen (persisted with the rows,
 * so the columns keep their meaning across restarts).
 */
public final class PipelineCatalog {

    public static final int MAX_GROUP_FIELDS = SchemaMigrations.GROUP_COLUMNS;

    private final ConcurrentMap<String, List<String>> groupFields = new ConcurrentHashMap<>();

    public PipelineCatalog() {
        PipelineResults.ALL.forEach(p -> groupFields.put(p.name(), p.groupFields()));
    }

    public Optional<List<String>> groupFields(String pipeline) {
        return Optional.ofNullable(groupFields.get(pipeline));
    }

    public Optional<PipelineResult> contract(String pipeline) {
        return PipelineResults.byName(pipeline);
    }

    /** Every pipeline known now: the catalogue's in its order, then any other seen in the data by name. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        PipelineResults.ALL.forEach(p -> names.add(p.name()));
        names.addAll(new TreeSet<>(groupFields.keySet()));
        return names;
    }

    /**
     * The column order of an uncatalogued pipeline's group fields after adding any not seen before.
     *
     * @throws IllegalArgumentException if that would exceed {@link #MAX_GROUP_FIELDS}
     */
    public List<String> learn(String pipeline, Collection<String> fieldsInRecord) {
        return groupFields.compute(pipeline, (name, known) -> {
            List<String> fields = new ArrayList<>(known == null ? List.of() : known);
            fieldsInRecord.stream().filter(f -> !fields.contains(f)).forEach(fields::add);
            if (fields.size() > MAX_GROUP_FIELDS) {
                throw new IllegalArgumentException("pipeline " + name + " would have " + fields.size()
                        + " group fields " + fields + "; at most " + MAX_GROUP_FIELDS + " are supported");
            }
            return List.copyOf(fields);
        });
    }

    /** Restores what was persisted; the catalogue's own definitions win over stored ones. */
    void restore(String pipeline, List<String> fields) {
        groupFields.putIfAbsent(pipeline, List.copyOf(fields));
    }
}
