package io.pgmigrate.stream;

import io.pgmigrate.postgres.TableRef;
import java.util.List;

/**
 * One table as stream mode copies it: its name, the columns COPY moves (no dropped or generated ones), its size on
 * the source (to copy the largest first), whether every column has a binary form both servers agree on, and, for a
 * table big enough to be copied in parts, the range of its single-column integer primary key in the snapshot.
 */
public record CopyTable(TableRef table, List<String> columns, long bytes, boolean binarySafe, KeyBounds bounds) {

    /** The smallest and largest value of an integer primary key column. */
    public record KeyBounds(String column, long min, long max) {
    }

    public CopyTable {
        columns = List.copyOf(columns);
    }

    public CopyTable(TableRef table, List<String> columns, long bytes, boolean binarySafe) {
        this(table, columns, bytes, binarySafe, null);
    }

    public String key() {
        return table.key();
    }

    public CopyTable withBounds(KeyBounds newBounds) {
        return new CopyTable(table, columns, bytes, binarySafe, newBounds);
    }
}
