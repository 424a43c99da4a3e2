package io.pgmigrate.pipeline;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits pg_restore's table of contents ({@code pg_restore -l}): entries are commented out by their catalog
 * identity (table oid of pg_constraint and the object's oid on the source), never by name, so odd names cannot
 * confuse it.
 */
final class RestoreList {
    /** "1234; 2606 16420 FK CONSTRAINT public orders orders_customer_fkey postgres". */
    private static final Pattern FK_ENTRY = Pattern.compile("^\\d+; 2606 (\\d+) FK CONSTRAINT .*");

    private RestoreList() {
    }

    /** The list without the foreign keys whose source oids are given. */
    static String withoutForeignKeys(String list, Set<Long> oids) {
        StringBuilder out = new StringBuilder();
        for (String line : list.split("\n", -1)) {
            Matcher m = FK_ENTRY.matcher(line);
            if (m.matches() && oids.contains(Long.parseLong(m.group(1)))) {
                out.append(';');
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    static long countDisabled(String list) {
        return List.of(list.split("\n")).stream().filter(l -> l.startsWith(";") && FK_ENTRY.matcher(l.substring(1)).matches()).count();
    }
}
