package io.pgmigrate.pipeline;

import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.DelayedDdl;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.process.ConnInfo;
import io.pgmigrate.process.ProcessSpec;
import io.pgmigrate.state.AtomicFiles;
import io.pgmigrate.state.StateNames;
import io.pgmigrate.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pg_restore of an archive into a target database, the way every restore of the tool runs: foreign keys into
 * delayed tables left out (the delayed phase adds them), event triggers held back and restored alone after the
 * post-data section (so none fires on the restore's own DDL), unlogged partitioned tables created logged on an 18+
 * target ({@link UnloggedParents}), extensions created under their owner's role ({@link ExtensionOwners}) and
 * their objects given the privileges default privileges gave them ({@link ExtensionDefaultGrants}),
 * {@code --no-tablespaces} when asked, the session settings of the fast load, and every error reported.
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
    void run(Path archive, String what, boolean withPostData, DelayedDdl ddl, List<String> options)
            throws SQLException {
        run(archive, what, withPostData, ddl, Set.of(), options);
    }

    /** As {@link #run(Path, String, boolean, DelayedDdl, List)}, leaving out the objects {@code built} already. */
    void run(Path archive, String what, boolean withPostData, DelayedDdl ddl, Set<RestoreList.CatalogObject> built,
             List<String> options) throws SQLException {
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
        boolean preData = restoresPreData(options);
        if (preData && ctx.managed()) {
            // a login that is not a superuser may give an object only to a role with CREATE on its schema, which a
            // grant may give, and pg_restore grants last: the schemas and their privileges come first, on their own
            restore(archive, what + ".schemas", RestoreList.onlySchemas(list),
                    options.stream().filter(o -> !o.startsWith("--section=")).toList());
            list = RestoreList.withoutSchemas(list);
        }
        Map<RestoreList.CatalogObject, Held> held = preData ? held(archive, toc) : Map.of();
        if (held.isEmpty()) {
            restore(archive, what, list.equals(toc) ? null : list, options);
        } else {
            restoreAround(archive, what, list, held, options);
        }
        if (preData) {
            ExtensionDefaultGrants.grant(config.source(), config.target(), db.name()).forEach(log::warn);
        }
        if (eventTriggers && withPostData) {
            restoreEventTriggers(archive, toc, what);
        }
    }

    /** An entry the restore leaves out, created another way at its place in the list. */
    @FunctionalInterface
    private interface Held {
        /**
         * @param what    names its log and list files
         * @param options pg_restore options of the stretches, without sections
         */
        void create(String what, List<String> options) throws SQLException;
    }

    /**
     * The entries created another way: the unlogged partitioned tables an 18+ target refuses, created logged
     * ({@link UnloggedParents}); the extensions another role than the login owns, created under that role
     * ({@link ExtensionOwners}).
     */
    private Map<RestoreList.CatalogObject, Held> held(Path archive, String toc) throws SQLException {
        Map<RestoreList.CatalogObject, Held> held = new HashMap<>();
        UnloggedParents.refusedBy(config, db.name()).forEach((entry, table) -> held.put(entry, (what, options) -> {
            log.info("creating the unlogged partitioned table {} logged: PostgreSQL 18 refuses unlogged ones", table);
            UnloggedParents.createLogged(config, db.name(), table, entryScript(archive, toc, entry, what));
        }));
        ExtensionOwners.createdByOwners(config, db.name()).forEach((entry, owned) -> held.put(entry, (what, options) -> {
            log.info("creating the extension {} as its owner {}", owned.extension(), Identifiers.quote(owned.owner()));
            List<String> asOwner = new ArrayList<>(options);
            asOwner.add("--role=" + owned.owner());
            boolean lent = ExtensionOwners.lendCreate(config, db.name(), owned);
            try {
                restore(archive, what, RestoreList.only(toc, entry), asOwner);
            } finally {
                if (lent) {
                    ExtensionOwners.takeBackCreate(config, db.name(), owned);
                }
            }
        }));
        return held;
    }

    /**
     * The restore in stretches, creating each of the {@code held} entries between two. A stretch restores the
     * entries the sections of the options select, named in its list, with no section option: with one, pg_restore
     * would give an entry of no section of its own (a comment, an ACL) at the start of a later stretch the section
     * of the entry before it in the archive but outside the list, and leave it out when that one is post-data.
     */
    private void restoreAround(Path archive, String what, String list, Map<RestoreList.CatalogObject, Held> held,
                               List<String> options) throws SQLException {
        List<String> sections = options.stream().filter(o -> o.startsWith("--section=")).toList();
        String selected = sections.isEmpty() ? list : RestoreList.within(list, tableOfContents(archive, sections));
        List<String> unsectioned = options.stream().filter(o -> !sections.contains(o)).toList();
        int n = 0;
        for (RestoreList.Stretch stretch : RestoreList.splitAt(selected, held.keySet())) {
            String name = n++ == 0 ? what : what + "." + n;
            if (stretch.after() != null) {
                held.get(stretch.after()).create(name + ".held", unsectioned);
            }
            restore(archive, name, stretch.list(), unsectioned);
        }
    }

    /** One pg_restore, of the archive or (when not null) of the entries {@code list} leaves in it. */
    private void restore(Path archive, String what, String list, List<String> options) {
        Path logFile = state.toolLog(db.name(), what);
        DatabasePipeline.deleteRecursively(logFile);
        List<String> argv = new ArrayList<>();
        argv.add(ctx.tools().pgRestore().path().toString());
        argv.addAll(options);
        argv.add("--dbname=" + ConnInfo.of(config.target()).withDatabase(db.name()).value());
        if (config.noTablespaces()) {
            argv.add("--no-tablespaces");
        }
        if (list != null) {
            argv.add("--use-list=" + writeList(list, "." + what + ".list"));
        }
        argv.add(archive.toString());
        ProcessSpec spec = steps.connecting(ProcessSpec.of("pg_restore", argv), config.target()).withStderrLog(logFile);
        if (ctx.sessionTuning()) {
            spec = spec.withServerOptions(TargetTuning.sessionOptions());
        }
        steps.runRestore(spec, logFile);
    }

    /** True when the options restore the pre-data section (named, or no section named). */
    private static boolean restoresPreData(List<String> options) {
        return options.contains("--section=pre-data") || options.stream().noneMatch(o -> o.startsWith("--section="));
    }

    /** pg_restore's script of one entry of the archive (no database: nothing is restored). */
    private byte[] entryScript(Path archive, String toc, RestoreList.CatalogObject entry, String what) {
        Path script = state.migrateDir().resolve(StateNames.fileSafe(db.name()) + "." + what + ".sql");
        List<String> argv = new ArrayList<>(List.of(ctx.tools().pgRestore().path().toString(),
                "--use-list=" + writeList(RestoreList.only(toc, entry), "." + what + ".table.list"),
                "--file=" + script));
        if (config.noTablespaces()) {
            argv.add("--no-tablespaces");
        }
        argv.add(archive.toString());
        ctx.runner().run(ProcessSpec.of("pg_restore", argv)).requireSuccess();
        try {
            return Files.readAllBytes(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** pg_restore's table of contents ({@code pg_restore --list}) of an archive. */
    private String tableOfContents(Path archive) {
        return tableOfContents(archive, List.of());
    }

    /** The entries of the archive that {@code selecting} (pg_restore options: sections ...) selects. */
    private String tableOfContents(Path archive, List<String> selecting) {
        List<String> argv = new ArrayList<>(List.of(ctx.tools().pgRestore().path().toString(), "--list"));
        argv.addAll(selecting);
        argv.add(archive.toString());
        return ctx.runner().run(ProcessSpec.of("pg_restore", argv).capturingStdout()).requireSuccess().stdout();
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
