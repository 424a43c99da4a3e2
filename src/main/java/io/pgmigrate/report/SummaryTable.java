package io.pgmigrate.report;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.pgmigrate.pipeline.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end-of-run table: one row per database, then the wall times, notes and errors. */
public final class SummaryTable {
    private SummaryTable() {
    }

    public static String render(RunReport run) {
        List<DatabaseReport> dbs = run.databases();
        boolean delayed = dbs.stream().anyMatch(d -> java.util.Arrays.stream(Phase.values())
                .anyMatch(p -> p.delayed() && (d.duration(p) != null || d.wasResumed(p))));
        List<Phase> phases = java.util.Arrays.stream(Phase.values()).filter(p -> delayed || !p.delayed()).toList();
        List<Column> columns = new ArrayList<>();
        columns.add(new Column().header("database").dataAlign(HorizontalAlign.LEFT));
        columns.add(new Column().header("status").dataAlign(HorizontalAlign.LEFT));
        columns.add(new Column().header("size").dataAlign(HorizontalAlign.RIGHT));
        columns.add(new Column().header("tables").dataAlign(HorizontalAlign.RIGHT));
        columns.add(new Column().header("rows").dataAlign(HorizontalAlign.RIGHT));
        for (Phase phase : phases) {
            columns.add(new Column().header(phase.label()).dataAlign(HorizontalAlign.RIGHT));
            if (delayed && phase == Phase.VERIFY) {
                columns.add(new Column().header("regular").dataAlign(HorizontalAlign.RIGHT));
            }
        }
        columns.add(new Column().header("total").dataAlign(HorizontalAlign.RIGHT));

        String[][] data = new String[dbs.size()][];
        for (int i = 0; i < dbs.size(); i++) {
            DatabaseReport db = dbs.get(i);
            List<String> row = new ArrayList<>();
            row.add(db.name());
            row.add(db.status().label());
            row.add(size(db.sizeBytes()));
            row.add(db.tables() < 0 ? "" : Integer.toString(db.tables()));
            row.add(db.rows() < 0 ? "" : String.format(Locale.ROOT, "%,d", db.rows()));
            for (Phase phase : phases) {
                row.add(db.wasResumed(phase) ? "earlier" : seconds(db.duration(phase)));
                if (delayed && phase == Phase.VERIFY) {
                    row.add(seconds(db.regular()));
                }
            }
            row.add(seconds(db.total()));
            data[i] = row.toArray(String[]::new);
        }
        StringBuilder out = new StringBuilder();
        out.append(AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, columns.toArray(Column[]::new), data));
        out.append('\n');
        long done = dbs.stream().filter(d -> d.status() == DatabaseStatus.DONE).count();
        out.append(String.format(Locale.ROOT, "%d of %d databases migrated and verified.%n", done, dbs.size()));
        if (run.regularPhase() != null) {
            out.append("Regular phase (every database usable): ").append(seconds(run.regularPhase())).append('\n');
        }
        out.append("Total: ").append(seconds(run.total())).append('\n');
        for (String note : run.notes()) {
            out.append("Note: ").append(note).append('\n');
        }
        for (String error : run.errors()) {
            out.append("Error: ").append(error).append('\n');
        }
        for (String difference : run.differences()) {
            out.append("Differs: ").append(difference).append('\n');
        }
        for (DatabaseReport db : dbs) {
            for (String warning : db.warnings()) {
                out.append("Warning [").append(db.name()).append("]: ").append(warning).append('\n');
            }
            for (String error : db.errors()) {
                out.append("Error [").append(db.name()).append("]: ").append(error).append('\n');
            }
        }
        return out.toString();
    }

    static String seconds(Duration d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%d kB", bytes / 1024);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
