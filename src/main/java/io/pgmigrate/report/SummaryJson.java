package io.pgmigrate.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmigrate.pipeline.Phase;
import io.pgmigrate.state.AtomicFiles;
import java.nio.file.Path;
import java.time.Duration;

/** The summary as JSON, for scripts: the same facts as the table. */
public final class SummaryJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    public static ObjectNode toJson(RunReport run, int exitCode) {
        ObjectNode root = JSON.createObjectNode();
        root.put("exitCode", exitCode);
        putSeconds(root, "regularPhaseSeconds", run.regularPhase());
        putSeconds(root, "totalSeconds", run.total());
        ArrayNode dbs = root.putArray("databases");
        for (DatabaseReport db : run.databases()) {
            ObjectNode n = dbs.addObject();
            n.put("name", db.name());
            n.put("status", db.status().name().toLowerCase(java.util.Locale.ROOT));
            n.put("sizeBytes", db.sizeBytes());
            n.put("tables", db.tables());
            n.put("rows", db.rows());
            ObjectNode phases = n.putObject("phaseSeconds");
            for (Phase p : Phase.values()) {
                if (db.wasResumed(p)) {
                    phases.put(p.name().toLowerCase(java.util.Locale.ROOT), "earlier");
                } else {
                    putSeconds(phases, p.name().toLowerCase(java.util.Locale.ROOT), db.duration(p));
                }
            }
            putSeconds(n, "regularSeconds", db.regular());
            putSeconds(n, "totalSeconds", db.total());
            db.errors().forEach(n.putArray("errors")::add);
            db.warnings().forEach(n.putArray("warnings")::add);
        }
        run.notes().forEach(root.putArray("notes")::add);
        run.errors().forEach(root.putArray("errors")::add);
        run.differences().forEach(root.putArray("differences")::add);
        return root;
    }

    public static void write(Path file, RunReport run, int exitCode) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(toJson(run, exitCode)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putSeconds(ObjectNode node, String field, Duration d) {
        if (d != null) {
            node.put(field, d.toMillis() / 1000.0);
        }
    }
}
