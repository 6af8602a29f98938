package io.streamanalytics.consumer.store;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds a standard SQL {@code MERGE ... USING (VALUES ...)} upsert, the one form H2 2.x and PostgreSQL 15+ both
 * run. Parameters are cast in the {@code VALUES} row because PostgreSQL cannot infer their types there; text is
 * cast to plain {@code VARCHAR}, since a cast to {@code VARCHAR(n)} silently truncates where the column would refuse.
 */
final class Merge {

    record Column(String name, String sqlType) {}

    /** A column that starts at 1 on insert and grows by 1 on every update. */
    record Counter(String name) {}

    private Merge() {}

    /** Parameters, in order: the key columns, then the value columns. */
    static String statement(String table, List<Column> keys, List<Column> values, Counter counter) {
        List<Column> all = new ArrayList<>(keys);
        all.addAll(values);
        String casts = all.stream().map(c -> "CAST(? AS " + c.sqlType() + ")").collect(Collectors.joining(", "));
        String names = all.stream().map(Column::name).collect(Collectors.joining(", "));
        String on = keys.stream().map(c -> "t." + c.name() + " = s." + c.name()).collect(Collectors.joining(" AND "));
        List<String> updates = new ArrayList<>(
                values.stream().map(c -> c.name() + " = s." + c.name()).toList());
        String insertNames = names;
        String insertValues = all.stream().map(c -> "s." + c.name()).collect(Collectors.joining(", "));
        if (counter != null) {
            updates.add(counter.name() + " = t." + counter.name() + " + 1");
            insertNames += ", " + counter.name();
            insertValues += ", 1";
        }
        return "MERGE INTO " + table + " t USING (VALUES (" + casts + ")) AS s (" + names + ") ON " + on
                + " WHEN MATCHED THEN UPDATE SET " + String.join(", ", updates)
                + " WHEN NOT MATCHED THEN INSERT (" + insertNames + ") VALUES (" + insertValues + ")";
    }
}
