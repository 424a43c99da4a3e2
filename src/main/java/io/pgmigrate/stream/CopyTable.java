package io.pgmigrate.stream;

import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.TableRef;
import java.util.List;

/**
 * One table as stream mode copies it: its name, the columns COPY moves (no dropped or generated ones), its size on
 * the source (to copy the largest first), the binary form of its columns, and, for a table big enough to be copied
 * in parts, what it is cut along: its single-column integer primary key, or its blocks.
 */
public record CopyTable(TableRef table, List<String> columns, long bytes, BinaryForm binaryForm, Bounds bounds) {

    /** Whether the columns can be copied in binary: {@code --copy-format auto} does for BUILT_IN, binary but NEVER. */
    public enum BinaryForm {
        /** Every column is of a built-in type: both servers read its binary form alike. */
        BUILT_IN,
        /** Some column is of a user type: its binary form may hold type oids that differ between the servers. */
        USER_TYPES,
        /** Some column is of a reg* type: its binary form is an oid of the source, wrong on the target. */
        NEVER
    }

    /** What a table's parts are ranges of: every row has one value in {@code [min, max]}. */
    public sealed interface Bounds permits KeyBounds, BlockBounds {
        long min();

        long max();

        /** What a part's condition compares: the key column, or ctid. */
        String expression();

        /** A cut between two parts, as SQL comparable with {@link #expression()}. */
        String literal(long cut);
    }

    /** The smallest and largest value of an integer primary key column, in the snapshot. */
    public record KeyBounds(String column, long min, long max) implements Bounds {
        @Override
        public String expression() {
            return Identifiers.quote(column);
        }

        @Override
        public String literal(long cut) {
            return Long.toString(cut);
        }
    }

    /**
     * The number of blocks of a table without such a key, cut by ctid: block {@code b} starts at {@code '(b,0)'}.
     * Read when the snapshot is, not in it (a relation's size is not versioned); blocks appended later hold no row of
     * the snapshot, and the last part has no upper bound anyway.
     */
    public record BlockBounds(long blocks) implements Bounds {
        @Override
        public long min() {
            return 0;
        }

        @Override
        public long max() {
            return blocks - 1;
        }

        @Override
        public String expression() {
            return "ctid";
        }

        @Override
        public String literal(long cut) {
            return "'(" + cut + ",0)'::tid";
        }
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

    public CopyTable withBounds(Bounds newBounds) {
        return new CopyTable(table, columns, bytes, binaryForm, newBounds);
    }
}
