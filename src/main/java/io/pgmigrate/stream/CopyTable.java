package io.pgmigrate.stream;

import io.pgmigrate.postgres.TableRef;
import java.util.List;

/**
 * One table as stream mode copies it: its name, the columns COPY moves (no dropped or generated ones), its size on
 * the source (to copy the largest first) and whether every column has a binary form both servers agree on.
 */
public record CopyTable(TableRef table, List<String> columns, long bytes, boolean binarySafe) {

    public CopyTable {
        columns = List.copyOf(columns);
    }

    public String key() {
        return table.key();
    }
}
