package io.pgmigrate.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmigrate.state.AtomicFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One verdict per database and one for the run, as text and as JSON; {@code notCompared}: what could not be compared
 * (a login that may not read it) or was left out (the global objects of a run that does not migrate them), named in
 * both, so "equal" is never said of what was not compared.
 */
public record VerificationReport(List<Difference> globals, List<DatabaseVerdict> databases, List<String> notCompared) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int SHOWN = 50;

    public VerificationReport {
        globals = List.copyOf(globals);
        databases = List.copyOf(databases);
        notCompared = List.copyOf(notCompared);
    }

    public VerificationReport(List<Difference> globals, List<DatabaseVerdict> databases) {
        this(globals, databases, List.of());
    }

    public boolean equal() {
        return globals.isEmpty() && databases.stream().allMatch(DatabaseVerdict::equal);
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("Global objects: ").append(globals.isEmpty() ? "equal" : globals.size() + " difference(s)")
                .append('\n');
        globals.stream().limit(SHOWN).forEach(d -> out.append("  ").append(d).append('\n'));
        for (DatabaseVerdict db : databases) {
            String rows = switch (db.rowCheck()) {
                case CHECKSUM -> String.format(Locale.ROOT, ", %d tables, %,d rows, every row checksummed",
                        db.tables(), db.rows());
                case COUNT -> String.format(Locale.ROOT, ", %d tables, %,d rows counted", db.tables(), db.rows());
                case NONE -> "";
            };
            out.append(String.format(Locale.ROOT, "Database %s: %s (%d objects%s)%n",
                    io.pgmigrate.postgres.Identifiers.quote(db.database()),
                    db.equal() ? "equal" : db.differences().size() + " difference(s)", db.objects(), rows));
            db.differences().stream().limit(SHOWN).forEach(d -> out.append("  ").append(d).append('\n'));
            if (db.differences().size() > SHOWN) {
                out.append("  ... ").append(db.differences().size() - SHOWN).append(" more in the JSON report\n");
            }
        }
        notCompared.forEach(n -> out.append("Not compared: ").append(n).append('\n'));
        out.append("Verdict: ").append(equal() ? "the target equals the source" + (notCompared.isEmpty() ? ""
                : ", but for what was not compared (above)") : "DIFFERENCES FOUND").append('\n');
        return out.toString();
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("equal", equal());
        differences(root.putArray("globals"), globals);
        if (!notCompared.isEmpty()) { // a superuser's report is as it was before anything could go uncompared
            notCompared.forEach(root.putArray("notCompared")::add);
        }
        ArrayNode dbs = root.putArray("databases");
        for (DatabaseVerdict db : databases) {
            ObjectNode n = dbs.addObject();
            n.put("name", db.database());
            n.put("equal", db.equal());
            n.put("objects", db.objects());
            n.put("tables", db.tables());
            n.put("rows", db.rows());
            n.put("rowCheck", db.rowCheck().name().toLowerCase(Locale.ROOT));
            differences(n.putArray("differences"), db.differences());
        }
        return root;
    }

    public void write(Path file) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(toJson()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void differences(ArrayNode array, List<Difference> differences) {
        for (Difference d : differences) {
            ObjectNode n = array.addObject();
            n.put("kind", d.kind());
            n.put("name", d.name());
            n.put("source", d.source());
            n.put("target", d.target());
        }
    }
}
