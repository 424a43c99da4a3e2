package io.pgmigrate.pipeline;

import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.DelayedDdl;
import io.pgmigrate.process.ConnInfo;
import io.pgmigrate.process.ProcessSpec;
import io.pgmigrate.state.AtomicFiles;
import io.pgmigrate.state.StateNames;
import io.pgmigrate.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pg_restore of an archive into a target database, the way every restore of the tool runs: foreign keys into
 * delayed tables left out (the delayed phase adds them), event triggers held back and restored alone after the
 * post-data section (so none fires on the restore's own DDL), {@code --no-tablespaces} when asked, the session
 * settings of the fast load, and every error reported.
 */
final class ArchiveRestore {
    private static final Logger log = LoggerFactory.getLogger(ArchiveRestore.class);

    private final RunContext ctx;
    private final MigrationConfig config;
    private final StateStore state;
    private final DatabaseInfo db;
    private final PipelineSteps steps;

    ArchiveRestore(RunContext ctx, DatabaseInfo db, PipelineSteps steps) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.state = ctx.state();
        this.db = db;
        this.steps = steps;
    }

    /**
     * @param what        names the log and list files ("pg_restore", "pg_restore.post-data" ...)
     * @param withPostData the options include the post-data section (or no section): event triggers follow
     * @param options     pg_restore options: format, jobs, sections, --disable-triggers ...
     */
    void run(Path archive, String what, boolean withPostData, DelayedDdl ddl, List<String> options) {
        run(archive, what, withPostData, ddl, Set.of(), options);
    }

    /** As {@link #run(Path, String, boolean, DelayedDdl, List)}, leaving out the objects {@code built} already. */
    void run(Path archive, String what, boolean withPostData, DelayedDdl ddl, Set<RestoreList.CatalogObject> built,
             List<String> options) {
        Path logFile = state.toolLog(db.name(), what);
        DatabasePipeline.deleteRecursively(logFile);
        List<String> argv = new ArrayList<>();
        argv.add(ctx.tools().pgRestore().path().toString());
        argv.addAll(options);
        argv.add("--dbname=" + ConnInfo.of(config.target()).withDatabase(db.name()).value());
        if (config.noTablespaces()) {
            argv.add("--no-tablespaces");
        }
        String toc = tableOfContents(archive);
        String list = toc;
        if (ddl != null && !ddl.foreignKeys().isEmpty()) {
            list = RestoreList.withoutForeignKeys(list, ddl.foreignKeys());
        }
        if (!built.isEmpty()) {
            list = RestoreList.without(list, built);
        }
        boolean eventTriggers = RestoreList.hasEventTriggers(toc);
        if (eventTriggers) {
            list = RestoreList.withoutEventTriggers(list);
        }
        if (!list.equals(toc)) {
            argv.add("--use-list=" + writeList(list, "." + what + ".list"));
        }
        argv.add(archive.toString());
        ProcessSpec spec = steps.connecting(ProcessSpec.of("pg_restore", argv), config.target()).withStderrLog(logFile);
        if (ctx.sessionTuning()) {
            spec = spec.withServerOptions(TargetTuning.sessionOptions());
        }
        steps.runRestore(spec, logFile);
        if (eventTriggers && withPostData) {
            restoreEventTriggers(archive, toc, what);
        }
    }

    /** pg_restore's table of contents ({@code pg_restore --list}) of an archive. */
    private String tableOfContents(Path archive) {
        return ctx.runner().run(ProcessSpec.of("pg_restore", List.of(ctx.tools().pgRestore().path().toString(),
                "--list", archive.toString())).capturingStdout()).requireSuccess().stdout();
    }

    /** An edited table of contents, written to the state folder for --use-list. */
    private Path writeList(String list, String suffix) {
        Path file = state.migrateDir().resolve(StateNames.fileSafe(db.name()) + suffix);
        AtomicFiles.write(file, list.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private void restoreEventTriggers(Path archive, String toc, String what) {
        Path logFile = state.toolLog(db.name(), what + ".event_triggers");
        DatabasePipeline.deleteRecursively(logFile);
        List<String> argv = List.of(ctx.tools().pgRestore().path().toString(),
                "--use-list=" + writeList(RestoreList.onlyEventTriggers(toc), "." + what + ".event_triggers.list"),
                "--dbname=" + ConnInfo.of(config.target()).withDatabase(db.name()).value(), archive.toString());
        log.info("restoring the event triggers last, so that none fired during the restore");
        steps.runRestore(steps.connecting(ProcessSpec.of("pg_restore", argv), config.target())
                .withStderrLog(logFile), logFile);
    }
}
