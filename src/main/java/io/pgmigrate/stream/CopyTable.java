package io.pgmigrate.stream;

import io.pgmigrate.postgres.TableRef;
import java.util.List;

/**
 * One table as stream mode copies it: its name, the columns COPY moves (no dropped or generated ones), its size on
 * the source (to copy the largest first), the binary form of its columns, and, for a table big enough to be copied
 * in parts, the range of its single-column integer primary key in the snapshot.
 */
public record CopyTable(TableRef table, List<String> columns, long bytes, BinaryForm binaryForm, KeyBounds bounds) {

    /** Whether the columns can be copied in binary: {@code --copy-format auto} does for BUILT_IN, binary but NEVER. */
    public enum BinaryForm {
        /** Every column is of a built-in type: both servers read its binary form alike. */
        BUILT_IN,
        /** Some column is of a user type: its binary form may hold type oids that differ between the servers. */
        USER_TYPES,
        /** Some column is of a reg* type: its binary form is an oid of the source, wrong on the target. */
        NEVER
    }

    /** The smallest and largest value of an integer primary key column. */
    public record KeyBounds(String column, long min, long max) {
    }

    public CopyTable {
        columns = List.copyOf(columns);
    }

    public CopyTable(TableRef table, List<String> columns, long bytes, BinaryForm binaryForm) {
        this(table, columns, bytes, binaryForm, null);
    }

    public String key() {
        return table.key();
    }

    public CopyTable withBounds(KeyBounds newBounds) {
        return new CopyTable(table, columns, bytes, binaryForm, newBounds);
    }
}
