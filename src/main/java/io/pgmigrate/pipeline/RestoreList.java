package io.pgmigrate.pipeline;

import io.pgmigrate.postgres.DelayedDdl;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Edits pg_restore's table of contents ({@code pg_restore -l}): entries are commented out by their catalog
 * identity (table oid of pg_constraint and the object's oid on the source), never by name, so odd names cannot
 * confuse it. The one exception: a comment's entry has no identity of its own ("0 0 COMMENT ..."), so the comment
 * of a foreign key left out is matched by its exact tag.
 */
final class RestoreList {
    /** "1234; 2606 16420 FK CONSTRAINT public orders orders_customer_fkey postgres". */
    private static final Pattern FK_ENTRY = Pattern.compile("^\\d+; 2606 (\\d+) FK CONSTRAINT .*");
    /**
     * An event trigger ("3197; 3466 16385 EVENT TRIGGER - name owner": 3466 is pg_event_trigger) or a comment or
     * security label on one ("3349; 0 0 COMMENT - EVENT TRIGGER "name" owner": no schema, the tag starts with the
     * kind). Only a schema named "- EVENT" could make another entry look like one, and that entry would merely be
     * restored at the very end.
     */
    private static final Pattern EVENT_TRIGGER_ENTRY = Pattern.compile(
            "^\\d+; (3466 \\d+ EVENT TRIGGER |0 0 (COMMENT|SECURITY LABEL) - EVENT TRIGGER ).*");

    /**
     * A schema ("8; 2615 16389 SCHEMA - Sales owner": 2615 is pg_namespace) or the privileges on one ("2915; 0 0 ACL -
     * SCHEMA "Sales" owner": no schema, the tag starts with the kind).
     */
    private static final Pattern SCHEMA_ENTRY = Pattern.compile("^\\d+; (2615 \\d+ SCHEMA |0 0 ACL - SCHEMA ).*");

    private RestoreList() {
    }

    /** The list's schemas and the privileges on them, nothing else. */
    static String onlySchemas(String list) {
        return commentOut(list, line -> !line.startsWith(";") && !line.isBlank() && !SCHEMA_ENTRY.matcher(line).matches());
    }

    /** The list without its schemas and the privileges on them. */
    static String withoutSchemas(String list) {
        return commentOut(list, line -> SCHEMA_ENTRY.matcher(line).matches());
    }

    /** "1234; 1259 16450 INDEX public events_at_idx postgres": the catalog and the object, on the source. */
    private static final Pattern ENTRY = Pattern.compile("^\\d+; (\\d+) (\\d+) .*");

    /** A catalog object as the table of contents names it: its catalog's oid and its own, on the source. */
    record CatalogObject(long catalog, long oid) {
        static final long PG_CLASS = 1259;
        static final long PG_CONSTRAINT = 2606;
    }

    /**
     * The list without these foreign keys (their source oids name them) and their comments (pg_restore restores a
     * comment whose object it skips, and COMMENT ON a key not added yet fails).
     */
    static String withoutForeignKeys(String list, List<DelayedDdl.ForeignKey> keys) {
        Set<Long> oids = keys.stream().map(DelayedDdl.ForeignKey::oid).collect(Collectors.toSet());
        List<String> commentTags = keys.stream().map(DelayedDdl.ForeignKey::commentListTag).toList();
        return commentOut(list, line -> {
            Matcher m = FK_ENTRY.matcher(line);
            if (m.matches()) {
                return oids.contains(Long.parseLong(m.group(1)));
            }
            int at = line.indexOf("; 0 0 ");
            return at > 0 && line.substring(0, at).chars().allMatch(Character::isDigit)
                    && commentTags.stream().anyMatch(tag -> line.startsWith(tag, at + "; 0 0 ".length()));
        });
    }

    /** "1234; 0 16450 TABLE DATA public events postgres": a table's data, by the table's oid on the source. */
    private static final Pattern TABLE_DATA_ENTRY = Pattern.compile("^\\d+; 0 (\\d+) TABLE DATA .*");

    /** The list restoring only the data of these tables (their source oids name them). */
    static String onlyTableDataOf(String list, Set<Long> tables) {
        return commentOut(list, line -> !line.startsWith(";") && !line.isBlank() && !isTableDataOf(line, tables));
    }

    /** How many entries of the list restore the data of these tables. */
    static long countTableDataOf(String list, Set<Long> tables) {
        return list.lines().filter(line -> isTableDataOf(line, tables)).count();
    }

    private static boolean isTableDataOf(String line, Set<Long> tables) {
        Matcher m = TABLE_DATA_ENTRY.matcher(line);
        return m.matches() && tables.contains(Long.parseLong(m.group(1)));
    }

    /** The list without the entries of the given objects (indexes, constraints ... already built). */
    static String without(String list, Set<CatalogObject> objects) {
        return commentOut(list, line -> isEntryOf(line, objects));
    }

    /** The list without the entries that {@code selected} (another list of the same archive) leaves out. */
    static String within(String list, String selected) {
        Set<String> ids = selected.lines().filter(l -> !l.startsWith(";")).map(RestoreList::dumpId)
                .collect(Collectors.toSet());
        return commentOut(list, line -> !line.startsWith(";") && !line.isBlank() && !ids.contains(dumpId(line)));
    }

    /** "1234; ..." -> "1234": an entry's number in its archive. */
    private static String dumpId(String line) {
        int at = line.indexOf(';');
        return at < 0 ? line : line.substring(0, at);
    }

    /** A stretch of the list, restored once {@code after} (null before the first) was created another way. */
    record Stretch(CatalogObject after, String list) {
    }

    /**
     * The list cut at the entries of {@code held}, which every stretch leaves out: the first stretch restores what
     * comes before the first of them, each next one what follows it, up to the next.
     */
    static List<Stretch> splitAt(String list, Set<CatalogObject> held) {
        String[] lines = list.split("\n", -1);
        List<Stretch> out = new ArrayList<>();
        CatalogObject after = null;
        int from = 0;
        for (int i = 0; i <= lines.length; i++) {
            boolean last = i == lines.length;
            if (!last && !isEntryOf(lines[i], held)) {
                continue;
            }
            int start = from;
            int end = i;
            List<String> stretch = new ArrayList<>();
            for (int n = 0; n < lines.length; n++) {
                boolean outside = (n < start || n >= end) && !lines[n].startsWith(";") && !lines[n].isBlank();
                stretch.add(outside ? ";" + lines[n] : lines[n]);
            }
            out.add(new Stretch(after, String.join("\n", stretch)));
            after = last ? null : objectOf(lines[i]);
            from = i + 1;
        }
        return out;
    }

    /** The list restoring only the entry of {@code object}. */
    static String only(String list, CatalogObject object) {
        return commentOut(list, line -> !line.startsWith(";") && !line.isBlank() && !object.equals(objectOf(line)));
    }

    private static boolean isEntryOf(String line, Set<CatalogObject> objects) {
        CatalogObject object = objectOf(line);
        return object != null && objects.contains(object);
    }

    private static CatalogObject objectOf(String line) {
        Matcher m = ENTRY.matcher(line);
        return m.matches() ? new CatalogObject(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
    }

    /** True when the list restores an event trigger. */
    static boolean hasEventTriggers(String list) {
        return list.lines().anyMatch(RestoreList::isEventTrigger);
    }

    /**
     * The list without its event triggers (and their comments and security labels). An event trigger restored
     * with the rest fires on the restore's own DDL (pg_restore -j runs REFRESH MATERIALIZED VIEW in the same last
     * pass as CREATE EVENT TRIGGER, in no fixed order): a DDL-logging trigger adds rows, a refusing one fails the
     * restore. They are restored alone, last, from {@link #onlyEventTriggers}.
     */
    static String withoutEventTriggers(String list) {
        return commentOut(list, RestoreList::isEventTrigger);
    }

    /** The list restoring only its event triggers, with their comments and security labels. */
    static String onlyEventTriggers(String list) {
        return commentOut(list, line -> !line.startsWith(";") && !line.isBlank() && !isEventTrigger(line));
    }

    private static boolean isEventTrigger(String line) {
        return EVENT_TRIGGER_ENTRY.matcher(line).matches();
    }

    private static String commentOut(String list, Predicate<String> drop) {
        StringBuilder out = new StringBuilder();
        for (String line : list.split("\n", -1)) {
            if (drop.test(line)) {
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
