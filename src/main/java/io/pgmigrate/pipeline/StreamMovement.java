package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.config.TransferOptions.CopyFormat;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.DelayedDdl;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.TableRef;
import io.pgmigrate.process.ConnInfo;
import io.pgmigrate.process.ProcessSpec;
import io.pgmigrate.report.DatabaseReport;
import io.pgmigrate.state.Marker;
import io.pgmigrate.state.StateNames;
import io.pgmigrate.state.StateStore;
import io.pgmigrate.stream.CopyCatalog;
import io.pgmigrate.stream.CopyJournal;
import io.pgmigrate.stream.CopyPart;
import io.pgmigrate.stream.CopyScheduler;
import io.pgmigrate.stream.CopyTable;
import io.pgmigrate.stream.ForeignKey;
import io.pgmigrate.stream.IndexBuilder;
import io.pgmigrate.stream.LargeObjectCopy;
import io.pgmigrate.stream.SequenceValues;
import io.pgmigrate.stream.TableCopier;
import io.pgmigrate.stream.TableIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream mode: no data files. Source slot: the tables to copy and the sequences' values ({@link SequenceValues}) are
 * read in the snapshot; the schema without any data ({@code pg_dump -Fc --no-blobs --section=pre-data
 * --section=post-data}: a command line of one size whatever the number of tables) goes to one small archive,
 * {@code <db>.schema} under the dump root, and the data of the extensions' configuration tables and sequences, when
 * there are any, to another ({@code pg_dump --section=data --table} each). Target slot: {@code pg_restore
 * --section=pre-data}; then every table piped {@code COPY TO STDOUT -> COPY FROM STDIN} from the snapshot by the
 * run's copy workers ({@link CopyScheduler}: {@code --table-jobs} for the whole server, every database's tables in
 * one queue, largest first), then the large objects by the same workers ({@link LargeObjectCopy}); then the
 * extensions' configuration data, the sequence values, and {@code pg_restore --section=post-data -j} (indexes,
 * constraints, foreign keys, triggers, materialized views refreshed).
 *
 * <p>Resume: {@code PRE_DATA} says the schema is in, {@code <db>.copied} lists the tables whose copy committed;
 * a later run copies the others (each one truncated first). A run that stopped during the pre-data or the
 * post-data restore starts the database again from a re-created one.
 */
final class StreamMovement implements DataMovement {
    private static final Logger log = LoggerFactory.getLogger(StreamMovement.class);
    /**
     * Tables from this size up are truncated and copied WITH (FREEZE) even when they are known to be empty: their
     * rows then never need freezing. Smaller ones are not worth it: the TRUNCATE's commit scans the target's whole
     * shared_buffers (about 7 ms per table with 4 GB, measured), which made a database of 500 small tables copy
     * 2.5x slower.
     */
    static final long FREEZE_MIN_BYTES = 8L << 20;
    /**
     * Tables of at least --split-tables-larger-than are copied in ranges of about half that size (of their integer
     * primary key, else of their blocks: see CopyCatalog) by several workers at once (with --table-jobs above 1), so
     * one big table does not leave the other workers idle; at most this many ranges. Parts are not frozen: several
     * transactions fill one table.
     */
    static final int MAX_PARTS = 64;

    private final RunContext ctx;
    private final MigrationConfig config;
    private final StateStore state;
    private final DatabaseInfo db;
    private final DatabaseReport report;
    private final List<TableRef> delayed;
    private final PipelineSteps steps;
    private List<CopyTable> tables;
    /** The source's sequences and their values, read with the tables: set on the target before the post-data. */
    private SequenceValues sequences;
    /** Whether the source has extension configuration tables or sequences, dumped to their own archive. */
    private boolean extensionData;
    /** The indexes built as soon as their table's data is in, by table (read with the tables). */
    private Map<TableRef, List<TableIndex>> indexes;
    /** The foreign keys between plain tables (read with the tables). */
    private List<ForeignKey> foreignKeys;
    /** Rows read from the source by this run's copies, by table key (parts summed). */
    private final Map<String, AtomicLong> copiedRows = new ConcurrentHashMap<>();
    /** Tables whose every part this run copied. */
    private final Set<String> finishedCopies = ConcurrentHashMap.newKeySet();
    /** The tables whose indexes, constraints and statistics this run's {@link IndexBuilder} finished. */
    private Set<TableRef> finished = Set.of();
    /** The foreign keys this run's {@link IndexBuilder} added. */
    private Set<ForeignKey> keysAdded = Set.of();

    StreamMovement(RunContext ctx, DatabaseInfo db, DatabaseReport report, List<TableRef> delayed,
                   PipelineSteps steps) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.state = ctx.state();
        this.db = db;
        this.report = report;
        this.delayed = delayed;
        this.steps = steps;
    }

    /** Only a finished database needs nothing from the source: the rest is copied from a new snapshot. */
    @Override
    public boolean sourceSideDone() {
        return state.has(db.name(), Marker.DONE);
    }

    @Override
    public boolean readsSourceDuringRestore() {
        return true;
    }

    // ---------------------------------------------------------------- source side

    @Override
    public void dump(Optional<SourceSnapshot> snapshot) throws SQLException {
        Optional<String> id = snapshot.map(SourceSnapshot::id);
        List<TableRef> extensionConfig;
        try (Connection c = Connections.open(config.source(), db.name())) {
            tables = CopyCatalog.read(c, id, splitAbove(snapshot.isPresent(),
                    config.transfer().tableJobs(config.limits()), config.transfer().splitBytes()));
            indexes = CopyCatalog.inSnapshot(c, id, TableIndex::read);
            foreignKeys = CopyCatalog.inSnapshot(c, id, ForeignKey::read);
            sequences = CopyCatalog.inSnapshot(c, id, SequenceValues::read);
            extensionConfig = CopyCatalog.inSnapshot(c, id, st -> TableRef.list(st, "extension_config_relations"));
            LargeObjectCopy.requireNoSecurityLabels(c);
        }
        Path archive = schemaArchive();
        try {
            Files.createDirectories(config.dumpRoot());
            if (state.has(db.name(), Marker.PRE_DATA) && Files.exists(archive) && !Files.exists(restoredArchive())) {
                // the schema on the target: a resumed run compares it with the one it dumps now
                Files.move(archive, restoredArchive(), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.deleteIfExists(archive);
            Files.deleteIfExists(extensionDataArchive());
        } catch (IOException e) {
            throw MigrationException.environment("cannot write the schema archive " + archive + ": "
                    + e.getMessage() + "; choose another folder with --dump-root", e);
        }
        log.info("stream mode: dumping the schema; {} table(s), {} to copy", tables.size(),
                megabytes(tables.stream().mapToLong(CopyTable::bytes).sum()));
        // the data section left out rather than each table's data: the command line stays the same size whatever
        // the number of tables (one --exclude-table-data each outgrew the kernel's limit, and pg_dump runs a query
        // per pattern)
        pgDump(snapshot, archive, "pg_dump", List.of("--no-blobs", "--section=pre-data", "--section=post-data"));
        extensionData = !extensionConfig.isEmpty();
        if (extensionData) {
            List<String> selection = new ArrayList<>(List.of("--section=data"));
            selection.addAll(DelayedTables.pgDumpArgs("--table", extensionConfig));
            pgDump(snapshot, extensionDataArchive(), "pg_dump.extension-data", selection);
        }
    }

    /** pg_dump -Fc of the snapshot into {@code archive}, with {@code selection}'s options. */
    private void pgDump(Optional<SourceSnapshot> snapshot, Path archive, String what, List<String> selection) {
        List<String> argv = new ArrayList<>(List.of(ctx.tools().pgDump().path().toString(),
                "--format=custom", "--file=" + archive));
        argv.addAll(ctx.tools().compressionFor(config.compression()));
        snapshot.ifPresent(s -> argv.add("--snapshot=" + s.id()));
        argv.addAll(selection);
        argv.add("--dbname=" + ConnInfo.of(config.source()).withDatabase(db.name()).value());
        ctx.runner().run(steps.connecting(ProcessSpec.of("pg_dump", argv), config.source())
                .withStderrLog(state.toolLog(db.name(), what))).requireSuccess();
    }

    /**
     * The size above which a table is copied in ranges: none with a single copy worker or with splitting off, and
     * none without an exported snapshot, where each range would be read at its own moment and a row updated in
     * between could be read twice or not at all.
     */
    static long splitAbove(boolean snapshot, int tableJobs, long splitBytes) {
        return snapshot && tableJobs > 1 && splitBytes > 0 ? splitBytes : Long.MAX_VALUE;
    }

    // ---------------------------------------------------------------- target side

    @Override
    public void restore(Optional<SourceSnapshot> snapshot, DelayedDdl ddl) throws SQLException, InterruptedException {
        if (tables == null) {
            throw new IllegalStateException("stream mode restores only after its dump in the same run");
        }
        CopyJournal journal = journal();
        if (state.has(db.name(), Marker.POST_DATA_RESTORING)) {
            startAgain(journal, "an earlier run stopped while restoring the post-data section");
        } else if (state.has(db.name(), Marker.RESTORING) && !state.has(db.name(), Marker.PRE_DATA)) {
            startAgain(journal, "an earlier run stopped while restoring the schema");
        } else if (state.has(db.name(), Marker.PRE_DATA) && !samePreData()) {
            startAgain(journal, "the source's schema changed since an earlier run restored it");
        }
        steps.targetChanging();
        state.mark(db.name(), Marker.RESTORING);

        long t0 = System.nanoTime();
        // tables the pre-data restore of this very run created are empty; after an earlier run's, any table not in
        // the journal may hold rows (its copy committed, the journal line did not make it)
        boolean fresh = !state.has(db.name(), Marker.PRE_DATA);
        if (fresh) {
            journal.delete();
            deleteRestoredArchive();
            restoreSections("pre-data", 1, null, Set.of(), "--section=pre-data");
            state.mark(db.name(), Marker.PRE_DATA);
        }
        long t1 = System.nanoTime();
        copyTables(snapshot, journal, fresh);
        long t2 = System.nanoTime();
        state.mark(db.name(), Marker.POST_DATA_RESTORING);
        if (extensionData) {
            log.info("stream mode: restoring the data of the extensions' configuration tables and sequences");
            new ArchiveRestore(ctx, db, steps).run(extensionDataArchive(), "pg_restore.extension-data", false, null,
                    List.of("--format=custom", "--section=data", "--disable-triggers"));
        }
        try (Connection c = Connections.open(config.target(), db.name())) {
            sequences.set(c);
        }
        restoreSections("post-data", config.limits().restoreJobs(), ddl, builtObjects(), "--section=post-data");
        long t3 = System.nanoTime();
        state.mark(db.name(), Marker.DONE);
        for (Marker m : List.of(Marker.RESTORING, Marker.PRE_DATA, Marker.POST_DATA_RESTORING)) {
            state.clear(db.name(), m);
        }
        journal.delete();
        deleteRestoredArchive();
        delete(extensionDataArchive());
        log.info("stream mode: pre-data {}, copy and indexes {}, post-data {}", seconds(t1 - t0), seconds(t2 - t1),
                seconds(t3 - t2));
    }

    /**
     * Whether the pre-data section the earlier run restored (kept by {@link #dump}) is the one this run dumped: a
     * table or a column added, dropped or changed on the source since, a resumed copy would fail on for ever (a
     * relation or column the target lacks) or leave a table the source no longer has. pg_restore's script of each,
     * without its psql meta-commands ({@code \restrict} takes a random key).
     */
    private boolean samePreData() {
        if (!Files.exists(restoredArchive())) {
            return false; // its archive is gone (--dump-root changed or emptied): the target's schema is unknown
        }
        boolean same = preDataScript(restoredArchive()).equals(preDataScript(schemaArchive()));
        if (same) {
            deleteRestoredArchive();
        }
        return same;
    }

    private String preDataScript(Path archive) {
        List<String> argv = List.of(ctx.tools().pgRestore().path().toString(), "--section=pre-data", "--file=-",
                archive.toString());
        String script = ctx.runner().run(ProcessSpec.of("pg_restore", argv).capturingStdout()).requireSuccess()
                .stdout();
        return script.lines().filter(l -> !l.startsWith("\\")).collect(Collectors.joining("\n"));
    }

    private void startAgain(CopyJournal journal, String why) throws SQLException {
        log.info("{}: re-creating the target database and starting it again", why);
        ctx.connections().release(config.target(), db.name());
        ctx.creator().recreate(db);
        state.clear(db.name(), Marker.PRE_DATA);
        state.clear(db.name(), Marker.POST_DATA_RESTORING);
        journal.delete();
        deleteRestoredArchive();
    }

    private void copyTables(Optional<SourceSnapshot> snapshot, CopyJournal journal, boolean fresh)
            throws SQLException, InterruptedException {
        Set<String> copied = journal.read();
        Set<String> delayedKeys = delayed.stream().map(TableRef::key).collect(Collectors.toSet());
        List<CopyTable> todo = tables.stream()
                .filter(t -> !delayedKeys.contains(t.key()) && !copied.contains(t.key())).toList();
        long earlier = tables.stream().filter(t -> copied.contains(t.key())).count();
        if (earlier > 0) {
            String warning = earlier + " table(s) were copied by an earlier run, from its snapshot: their counts "
                    + "match only if nothing wrote to them on the source since";
            log.warn(warning);
            report.warning(warning);
        }
        if (snapshot.isEmpty()) {
            String warning = "no exported snapshot: each table is copied as it is when its copy starts, so the "
                    + "tables match each other only if nothing writes to the source";
            log.warn(warning);
            report.warning(warning);
        }
        List<CopyPart> parts = new ArrayList<>();
        Map<String, AtomicInteger> partsLeft = new ConcurrentHashMap<>();
        List<CopyTable> split = new ArrayList<>();
        long partBytes = Math.max(1, config.transfer().splitBytes() / 2);
        for (CopyTable t : todo) {
            List<CopyPart> ofTable = CopyPart.split(t, (int) Math.min(MAX_PARTS,
                    (t.bytes() + partBytes - 1) / partBytes));
            parts.addAll(ofTable);
            partsLeft.put(t.key(), new AtomicInteger(ofTable.size()));
            if (ofTable.size() > 1) {
                split.add(t);
            }
        }
        List<ForeignKey> keys = keysAdded(delayedKeys);
        if (!fresh) {
            readyForCopyAgain(todo, split, keys);
        }
        log.info("stream mode: copying {} table(s) ({}{}) with the run's {} copy workers, largest first{}",
                todo.size(), megabytes(todo.stream().mapToLong(CopyTable::bytes).sum()),
                split.isEmpty() ? "" : ", " + split.size() + " of them in " + (parts.size() - todo.size()
                        + split.size()) + " ranges", ctx.copies().workers(),
                earlier > 0 ? ", " + earlier + " copied by an earlier run" : "");
        AtomicLong rows = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        Optional<String> snapshotId = snapshot.map(SourceSnapshot::id);
        IndexBuilder builder = new IndexBuilder(config.limits().restoreJobs(), ctx.indexJobs(), this::indexConnection,
                config.analyze(), keys, "index-" + db.name());
        try {
            // an earlier run copied these; their indexes may be built or not
            tables.stream().filter(t -> copied.contains(t.key()) && !delayedKeys.contains(t.key()))
                    .forEach(t -> builder.tableCopied(t.table(), indexesOf(t), t.bytes(), false));
            // ordered by the size of their table: all the ranges of a split table are taken before the next table's,
            // so it is finished (and its indexes are built) while the workers copy the next one
            List<CopyScheduler.Item<TableCopier>> items = parts.stream().map(part ->
                    new CopyScheduler.Item<TableCopier>(part.table().bytes(), copier -> {
                        long t0 = System.nanoTime();
                        TableCopier.Result result = copier.copy(part, binary(part.table()), freeze(part, fresh));
                        copiedRows.computeIfAbsent(part.table().key(), k -> new AtomicLong())
                                .addAndGet(result.rows());
                        if (partsLeft.get(part.table().key()).decrementAndGet() == 0) {
                            journal.add(part.table().key());
                            finishedCopies.add(part.table().key());
                            builder.tableCopied(part.table().table(), indexesOf(part.table()),
                                    part.table().bytes(), result.frozen());
                        }
                        rows.addAndGet(result.rows());
                        bytes.addAndGet(result.bytes());
                        log.debug("copied {}: {} rows, {} ({}{}) in {}", part.label(), result.rows(),
                                megabytes(result.bytes()), result.binary() ? "binary" : "text",
                                result.frozen() ? ", frozen" : "", seconds(System.nanoTime() - t0));
                    })).toList();
            ctx.copies().run(items,
                    () -> TableCopier.open(config.source(), config.target(), db.name(), snapshotId));
            long objectsEarlier = new LargeObjectCopy(config.source(), config.target(), db.name(), snapshotId,
                    ctx.copies()).run(journal, fresh);
            if (objectsEarlier > 0) {
                String warning = objectsEarlier + " large object(s) were copied by an earlier run, from its snapshot: "
                        + "they match the source only if nothing changed them there since (the verification checks)";
                log.warn(warning);
                report.warning(warning);
            }
        } catch (SQLException | InterruptedException | RuntimeException e) {
            builder.abort();
            throw e;
        }
        long took = System.nanoTime() - start;
        log.info("stream mode: copied {} rows, {} in {} ({}/s); finishing the indexes", rows.get(),
                megabytes(bytes.get()), seconds(took), megabytes((long) (bytes.get() / Math.max(took / 1e9, 1e-3))));
        try {
            builder.finish();
        } catch (ForeignKey.AddFailed e) {
            throw forgetAcrossSnapshots(e, copied, keys, journal);
        }
        finished = builder.finished();
        keysAdded = builder.foreignKeysAdded();
        log.info("stream mode: {} index(es) built, {} table(s) {} and {} foreign key(s) added as their data landed",
                builder.indexesBuilt(), finished.size(), config.analyze() ? "analyzed" : "finished",
                keysAdded.size());
    }

    /**
     * A key that the rows break, where an earlier run copied one of its tables (or both, in two runs): the two were
     * read at different snapshots (the summary warned), and the source changed in between. Kept journaled, they
     * would break the key on every run. Forgotten, with every table the tool's keys tie to them (those may be as
     * stale), they are copied again by the next run, from one snapshot.
     */
    private SQLException forgetAcrossSnapshots(ForeignKey.AddFailed e, Set<String> copiedEarlier,
                                               List<ForeignKey> keys, CopyJournal journal) {
        String table = e.key().table().key();
        String referenced = e.key().referenced().key();
        if (!e.violated() || !copiedEarlier.contains(table) && !copiedEarlier.contains(referenced)) {
            return e;
        }
        Set<String> tied = new HashSet<>(Set.of(table, referenced));
        for (boolean grew = true; grew; ) {
            grew = false;
            for (ForeignKey k : keys) {
                if (tied.contains(k.table().key()) != tied.contains(k.referenced().key())) {
                    grew = tied.add(k.table().key()) | tied.add(k.referenced().key());
                }
            }
        }
        journal.forget(tied);
        return new SQLException(e.getMessage() + "; its tables were copied at different snapshots (by an earlier "
                + "run and this one) and the source changed in between: run again, the next run copies them, and the "
                + (tied.size() - 2) + " other table(s) foreign keys tie to them, again from one snapshot",
                e.getSQLState(), e);
    }

    /**
     * The foreign keys this run adds as their tables finish: those between copied tables (delayed ones aside) whose
     * referenced unique index is one the tool builds; pg_restore adds the others.
     */
    private List<ForeignKey> keysAdded(Set<String> delayedKeys) {
        Set<Long> built = indexes.values().stream().flatMap(List::stream).map(TableIndex::oid)
                .collect(Collectors.toSet());
        Set<String> copied = tables.stream().map(CopyTable::key).collect(Collectors.toSet());
        return foreignKeys.stream().filter(k -> built.contains(k.indexOid()))
                .filter(k -> copied.contains(k.table().key()) && copied.contains(k.referenced().key()))
                .filter(k -> !delayedKeys.contains(k.table().key()) && !delayedKeys.contains(k.referenced().key()))
                .toList();
    }

    /** Binary where every column is of a built-in type (or of a user type, with --copy-format binary). */
    private boolean binary(CopyTable t) {
        CopyFormat format = config.transfer().copyFormat();
        return t.binaryForm() == CopyTable.BinaryForm.BUILT_IN && format != CopyFormat.TEXT
                || t.binaryForm() == CopyTable.BinaryForm.USER_TYPES && format == CopyFormat.BINARY;
    }

    /** Whole tables only; into the tables this run created empty, only those worth the TRUNCATE. */
    private static boolean freeze(CopyPart p, boolean fresh) {
        return p.isWhole() && (!fresh || p.table().bytes() >= FREEZE_MIN_BYTES);
    }

    private List<TableIndex> indexesOf(CopyTable t) {
        return indexes.getOrDefault(t.table(), List.of());
    }

    /** A connection for the index builds, with the fast-load session settings where ALTER SYSTEM was refused. */
    private Connection indexConnection() throws SQLException {
        Connection c = Connections.open(config.target(), db.name());
        if (ctx.sessionTuning()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET maintenance_work_mem = '2GB'");
                st.execute("SET synchronous_commit = off");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /**
     * Readies the tables a resumed run copies again. First the foreign keys an earlier run added from or to any of
     * them go: that run added a key only after both of its tables were journaled, but a journal line lost to a crash
     * of this machine leaves a copied table unjournaled, and the key would then refuse its TRUNCATE (or check a copy
     * into its referencing table against a referenced one being copied again). The keys are added again once both
     * of their tables are finished. Then the tables copied in parts are emptied before their parts are copied at once.
     */
    private void readyForCopyAgain(List<CopyTable> todo, List<CopyTable> split, List<ForeignKey> keys)
            throws SQLException {
        Set<TableRef> again = todo.stream().map(CopyTable::table).collect(Collectors.toSet());
        List<ForeignKey> touching = keys.stream()
                .filter(k -> again.contains(k.table()) || again.contains(k.referenced())).toList();
        if (split.isEmpty() && touching.isEmpty()) {
            return;
        }
        try (Connection c = Connections.open(config.target(), db.name()); Statement st = c.createStatement()) {
            for (ForeignKey k : touching) {
                if (k.presentOn(c)) {
                    log.info("dropping foreign key {} of {} until its tables are copied again", k.name(), k.table());
                    st.execute(k.dropStatement());
                }
            }
            for (CopyTable t : split) {
                st.execute("TRUNCATE ONLY " + t.key());
            }
        }
    }

    /** pg_restore of some sections of the schema archive; {@code ddl}'s foreign keys are left out. */
    private void restoreSections(String what, int jobs, DelayedDdl ddl, Set<RestoreList.CatalogObject> built,
                                 String... options) throws SQLException {
        List<String> all = new ArrayList<>(List.of("--format=custom", "--jobs=" + jobs));
        all.addAll(List.of(options));
        log.info("stream mode: restoring the {} with pg_restore -j {}", what, jobs);
        new ArchiveRestore(ctx, db, steps).run(schemaArchive(), "pg_restore." + what, what.equals("post-data"), ddl,
                built, all);
    }

    /** The indexes and constraints of the finished tables, and the keys added: the post-data restore leaves them out. */
    private Set<RestoreList.CatalogObject> builtObjects() {
        Set<RestoreList.CatalogObject> built = new HashSet<>();
        keysAdded.forEach(k -> built.add(new RestoreList.CatalogObject(RestoreList.CatalogObject.PG_CONSTRAINT,
                k.oid())));
        for (TableRef t : finished) {
            for (TableIndex i : indexes.getOrDefault(t, List.of())) {
                built.add(new RestoreList.CatalogObject(RestoreList.CatalogObject.PG_CLASS, i.oid()));
                if (i.constraint() != null) {
                    built.add(new RestoreList.CatalogObject(RestoreList.CatalogObject.PG_CONSTRAINT,
                            i.constraint().oid()));
                }
            }
        }
        return built;
    }

    /** The tables this run will copy: those not copied by an earlier one, delayed tables aside. */
    @Override
    public Set<String> countedByCopy() {
        if (tables == null) {
            return Set.of();
        }
        Set<String> copied = journal().read();
        Set<String> delayedKeys = delayed.stream().map(TableRef::key).collect(Collectors.toSet());
        return tables.stream().map(CopyTable::key).filter(k -> !copied.contains(k) && !delayedKeys.contains(k))
                .collect(Collectors.toSet());
    }

    /** Only tables whose every part committed in this run. */
    @Override
    public Map<String, Long> copiedRows() {
        return copiedRows.entrySet().stream().filter(e -> finishedCopies.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }

    /** The tables this run analyzed as it finished them: the database's ANALYZE step leaves them out. */
    @Override
    public Set<String> analyzedTables() {
        return config.analyze() ? finished.stream().map(TableRef::key).collect(Collectors.toSet()) : Set.of();
    }

    private CopyJournal journal() {
        return journal(state, db);
    }

    private static CopyJournal journal(StateStore state, DatabaseInfo db) {
        return new CopyJournal(state.migrateDir().resolve(StateNames.fileSafe(db.name()) + ".copied"));
    }

    /**
     * Forgets what an earlier stream-mode run did on a database that dump mode is about to restore from scratch: a
     * later stream-mode run must not take the tables and large objects its journal lists as copied into the
     * database dump mode re-creates. Done before the re-creation, so a crash in between leaves nothing to trust.
     */
    static void forgetProgress(StateStore state, DatabaseInfo db) {
        state.clear(db.name(), Marker.PRE_DATA);
        state.clear(db.name(), Marker.POST_DATA_RESTORING);
        journal(state, db).delete();
    }

    private Path schemaArchive() {
        return steps.dumpDir(".schema");
    }

    /** The schema archive whose pre-data section is on the target, while a resumed run dumps the schema again. */
    private Path restoredArchive() {
        return steps.dumpDir(".schema.restored");
    }

    /** The data of the extensions' configuration tables and sequences, when the source has any. */
    private Path extensionDataArchive() {
        return steps.dumpDir(".extension-data");
    }

    private void deleteRestoredArchive() {
        delete(restoredArchive());
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw MigrationException.environment("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    @Override
    public String toString() {
        return "stream mode for " + Identifiers.quote(db.name());
    }
}
