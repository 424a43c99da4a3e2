package io.pgmigrate.pipeline;

import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.DelayedDdl;
import io.pgmigrate.postgres.TableRef;
import io.pgmigrate.process.ConnInfo;
import io.pgmigrate.process.ProcessSpec;
import io.pgmigrate.state.Marker;
import io.pgmigrate.state.StateNames;
import io.pgmigrate.state.StateStore;
import io.pgmigrate.stream.CopyCatalog;
import io.pgmigrate.stream.SequenceValues;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dump mode, the reference design: {@code pg_dump -Fd -j} of the snapshot into the dump root, then from it
 * {@code pg_restore --section=pre-data} and {@code pg_restore -j --disable-triggers} of the other sections. A restore
 * cut short is redone from a re-created database.
 */
final class DumpMovement implements DataMovement {
    private static final Logger log = LoggerFactory.getLogger(DumpMovement.class);

    private final RunContext ctx;
    private final MigrationConfig config;
    private final StateStore state;
    private final DatabaseInfo db;
    private final List<TableRef> delayed;
    private final PipelineSteps steps;

    DumpMovement(RunContext ctx, DatabaseInfo db, List<TableRef> delayed, PipelineSteps steps) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.state = ctx.state();
        this.db = db;
        this.delayed = delayed;
        this.steps = steps;
    }

    /** Dumped, or restored already (by a stream-mode run too, which leaves no dump): nothing to dump. */
    @Override
    public boolean sourceSideDone() {
        return state.has(db.name(), Marker.DUMPED) || state.has(db.name(), Marker.DONE);
    }

    @Override
    public boolean readsSourceDuringRestore() {
        return false;
    }

    @Override
    public void dump(Optional<SourceSnapshot> snapshot) throws SQLException {
        Path dir = steps.dumpDir("");
        DatabasePipeline.deleteRecursively(dir);
        DumpRoot.create(config.dumpRoot());
        int jobs = SourceSnapshot.pgDumpJobs(snapshot, config.limits().dumpJobs());
        List<String> argv = new ArrayList<>(List.of(ctx.tools().pgDump().path().toString(),
                "--format=directory", "--jobs=" + jobs, "--file=" + dir));
        argv.addAll(ctx.tools().compressionFor(config.compression()));
        snapshot.ifPresent(s -> argv.add("--snapshot=" + s.id()));
        argv.addAll(delayedDataLeftOut(snapshot));
        argv.add("--dbname=" + ConnInfo.of(config.source()).withDatabase(db.name()).value());
        ProcessSpec spec = steps.connecting(ProcessSpec.of("pg_dump", argv), config.source())
                .withStderrLog(state.toolLog(db.name(), "pg_dump"));
        log.info("dumping with pg_dump -j {}", jobs);
        ctx.runner().run(spec).requireSuccess();
        state.mark(db.name(), Marker.DUMPED);
    }

    /**
     * The delayed tables' data left out: by the --delay-table-data patterns themselves, so the command line does not
     * grow with the number of tables (one argument a table outgrew the kernel's limit, and pg_dump runs a query per
     * pattern). In the dump's snapshot, pg_dump's patterns may also match sequences (a delayed table's own, as
     * {@code tenant_*.*} does): their values are read now and set by {@link #restore} where pg_restore would have set
     * them. Where they match any other relation whose data pg_dump writes (a materialized view, an extension's table
     * or sequence, a table created since the patterns were resolved), or without a snapshot, each delayed table is
     * named instead.
     */
    private List<String> delayedDataLeftOut(Optional<SourceSnapshot> snapshot) throws SQLException {
        state.deleteJson(sequencesFile());
        if (delayed.isEmpty()) {
            return List.of();
        }
        if (snapshot.isPresent()) {
            Optional<String> id = snapshot.map(SourceSnapshot::id);
            List<DelayedPatterns.Relation> beyond = DelayedPatterns.read(config.source(), db.name(), id,
                    ctx.delayed()).beyondDelayed();
            List<DelayedPatterns.Relation> other = beyond.stream().filter(r -> !r.isPlainSequence()).toList();
            if (other.isEmpty()) {
                if (!beyond.isEmpty()) {
                    List<TableRef> sequences = beyond.stream().map(DelayedPatterns.Relation::table).toList();
                    try (Connection c = Connections.open(config.source(), db.name())) {
                        state.writeJson(sequencesFile(), CopyCatalog.inSnapshot(c, id,
                                st -> SequenceValues.read(st, sequences)));
                    }
                }
                return ctx.delayed().pgDumpPatternArgs("--exclude-table-data", db.name());
            }
            log.info("the --delay-table-data patterns also match {} relation(s) that are not delayed tables ({}): "
                    + "pg_dump is given each delayed table's name", other.size(), Names.firstOf(
                    other.stream().map(DelayedPatterns.Relation::toString).toList(), 3));
        }
        return DelayedTables.pgDumpArgs("--exclude-table-data", delayed);
    }

    /** The values of the sequences the dump left out with the delayed tables' data. */
    private String sequencesFile() {
        return StateNames.fileSafe(db.name()) + ".sequences.json";
    }

    @Override
    public void restore(Optional<SourceSnapshot> snapshot, DelayedDdl ddl) throws SQLException {
        StreamMovement.forgetProgress(state, db);
        if (state.has(db.name(), Marker.RESTORING)) {
            log.info("an earlier restore did not finish: re-creating the target database and restoring again");
            ctx.connections().release(config.target(), db.name());
            ctx.creator().recreate(db);
        }
        steps.targetChanging();
        state.mark(db.name(), Marker.RESTORING);

        // the pre-data section alone, as pg_restore -j runs it anyway (one connection): with it come the privileges,
        // which pg_restore -j would grant several at once, so that a grant made by a role holding the grant option
        // could come before the schema privilege it needs ("permission denied for schema")
        log.info("restoring with pg_restore: the pre-data section, then the rest with -j {}",
                config.limits().restoreJobs());
        ArchiveRestore restore = new ArchiveRestore(ctx, db, steps);
        restore.run(steps.dumpDir(""), "pg_restore.pre-data", false, ddl,
                List.of("--format=directory", "--section=pre-data"));
        restore.run(steps.dumpDir(""), "pg_restore", true, ddl, List.of("--format=directory",
                "--jobs=" + config.limits().restoreJobs(), "--section=data", "--section=post-data",
                "--disable-triggers"));
        Optional<SequenceValues> sequences = state.readJson(sequencesFile(), SequenceValues.class);
        if (sequences.isPresent()) {
            try (Connection c = Connections.open(config.target(), db.name())) {
                sequences.get().set(c);
            }
        }
        state.mark(db.name(), Marker.DONE);
        state.clear(db.name(), Marker.RESTORING);
        state.deleteJson(sequencesFile());
    }
}
