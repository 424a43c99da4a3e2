package io.pgmigrate.stream;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * What one copy moves: a whole table, or the rows of a table whose key (or block number) is in {@code [lo, hi)} (no
 * bound where null), so several workers can copy one big table at once. The parts of a table cover every value of
 * the key: the first has no lower bound, the last no upper bound.
 */
public record CopyPart(CopyTable table, int index, int count, Long lo, Long hi) {

    public static CopyPart whole(CopyTable table) {
        return new CopyPart(table, 0, 1, null, null);
    }

    public boolean isWhole() {
        return count == 1;
    }

    /** About {@code bytes / count}: the queue takes the largest first. */
    public long bytes() {
        return table.bytes() / count;
    }

    /** "\"public\".\"events\"" or "\"public\".\"events\" part 2/5". */
    public String label() {
        return isWhole() ? table.key() : table.key() + " part " + (index + 1) + "/" + count;
    }

    /**
     * The table in up to {@code wanted} parts of equal width between its bounds (fewer when the range of its key or
     * blocks is narrower); the whole table when it has no bounds or one part is wanted.
     */
    public static List<CopyPart> split(CopyTable table, int wanted) {
        CopyTable.Bounds b = table.bounds();
        if (b == null || wanted < 2 || b.max() <= b.min()) {
            return List.of(whole(table));
        }
        BigInteger min = BigInteger.valueOf(b.min());
        BigInteger span = BigInteger.valueOf(b.max()).subtract(min).add(BigInteger.ONE);
        int n = span.min(BigInteger.valueOf(wanted)).intValueExact();
        // ceiling division, so n - 1 inner boundaries all lie inside (min, max]
        BigInteger width = span.add(BigInteger.valueOf(n - 1)).divide(BigInteger.valueOf(n));
        List<Long> cuts = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            BigInteger cut = min.add(width.multiply(BigInteger.valueOf(i)));
            if (cut.compareTo(BigInteger.valueOf(b.max())) > 0) {
                break;
            }
            cuts.add(cut.longValueExact());
        }
        List<CopyPart> parts = new ArrayList<>();
        int count = cuts.size() + 1;
        for (int i = 0; i < count; i++) {
            parts.add(new CopyPart(table, i, count, i == 0 ? null : cuts.get(i - 1), i == count - 1 ? null : cuts.get(i)));
        }
        return parts;
    }
}
