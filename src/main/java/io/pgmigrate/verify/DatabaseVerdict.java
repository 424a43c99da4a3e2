package io.pgmigrate.verify;

import java.util.List;

/** The verification of one database: what was compared and every difference found. */
public record DatabaseVerdict(String database, int objects, int tables, long rows, RowCheck rowCheck,
                              List<Difference> differences) {

    public DatabaseVerdict {
        differences = List.copyOf(differences);
    }

    public boolean equal() {
        return differences.isEmpty();
    }
}
