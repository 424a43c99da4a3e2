package io.pgmigrate.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Source counts against target counts, table by table. */
public final class CountComparison {
    /** One table whose counts differ; a null count means the table is missing on that side. */
    public record Difference(String table, Long source, Long target) {
        @Override
        public String toString() {
            if (target == null) {
                return table + ": missing on the target (" + source + " rows on the source)";
            }
            if (source == null) {
                return table + ": on the target only (" + target + " rows)";
            }
            return table + ": " + source + " rows on the source, " + target + " on the target";
        }
    }

    private CountComparison() {
    }

    /** Differences, tables in {@code ignored} (delayed ones, say) left out. */
    public static List<Difference> compare(Map<String, Long> source, Map<String, Long> target, Set<String> ignored) {
        Set<String> all = new TreeSet<>(source.keySet());
        all.addAll(target.keySet());
        List<Difference> out = new ArrayList<>();
        for (String table : all) {
            if (ignored.contains(table)) {
                continue;
            }
            Long s = source.get(table);
            Long t = target.get(table);
            if (s == null || !s.equals(t)) {
                out.add(new Difference(table, s, t));
            }
        }
        return out;
    }

    public static long totalRows(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
