package io.pgmigrate.pipeline;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.DelayedDdl;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.TableRef;
import io.pgmigrate.process.ConnInfo;
import io.pgmigrate.process.ProcessSpec;
import io.pgmigrate.report.DatabaseReport;
import io.pgmigrate.state.AtomicFiles;
import io.pgmigrate.state.Marker;
import io.pgmigrate.state.StateStore;
import io.pgmigrate.verify.CountComparison;
import io.pgmigrate.verify.CountComparison.Difference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delayed phase of one database, in the reference's order. Source slot: dump the delayed tables' data
 * ({@code pg_dump -Fd --data-only}, from the regular dump's snapshot when it is still held). Target slot: drop
 * their secondary indexes (the definitions were saved before), load the data ({@code pg_restore --data-only
 * --disable-triggers}), re-create the indexes in parallel and add back the foreign keys that point into them,
 * then count every table on both sides (delayed tables always exactly) and compare.
 */
final class DelayedPhase {
    private static final Logger log = LoggerFactory.getLogger(DelayedPhase.class);

    private final RunContext ctx;
    private final MigrationConfig config;
    private final StateStore state;
    private final DatabaseInfo db;
    private final DatabaseReport report;
    private final List<TableRef> tables;
    private final DelayedDdl ddl;
    private final PipelineSteps steps;

    DelayedPhase(RunContext ctx, DatabaseInfo db, DatabaseReport report, List<TableRef> tables, DelayedDdl ddl,
                 PipelineSteps steps) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.state = ctx.state();
        this.db = db;
        this.report = report;
        this.tables = tables;
        this.ddl = ddl;
        this.steps = steps;
    }

    // ---------------------------------------------------------------- source side

    /**
     * Dumps the delayed data and counts the source; returns the source counts of every table. Without the regular
     * dump's snapshot (gone after a resume) a snapshot of its own is exported for the dump and the counts, so pg_dump
     * keeps its jobs and the counts describe what it dumped; only a source that exports none (a paused standby
     * before 10) is dumped with one job and counted at its own moment.
     */
    Map<String, Long> sourceSide(Optional<SourceSnapshot> snapshot, Map<String, Long> regularSourceCounts,
                                 boolean regularCountsFromSnapshot)
            throws SQLException, InterruptedException {
        if (snapshot.isPresent() || state.has(db.name(), Marker.DELAYED_DUMPED)) {
            return sourceSideIn(snapshot, regularSourceCounts, regularCountsFromSnapshot);
        }
        String warning = "the delayed tables' data is read now, not from the regular dump's snapshot (the snapshot "
                + "is gone after a resume, or the source cannot export one): rows written to the source in between "
                + "may differ";
        log.warn(warning);
        report.warning(warning);
        Optional<SourceSnapshot> own = SourceSnapshot.export(config.source(), db.name());
        try {
            return sourceSideIn(own, regularSourceCounts, false);
        } finally {
            own.ifPresent(SourceSnapshot::close);
        }
    }

    private Map<String, Long> sourceSideIn(Optional<SourceSnapshot> snapshot, Map<String, Long> regularSourceCounts,
                                           boolean regularCountsFromSnapshot)
            throws SQLException, InterruptedException {
        if (state.has(db.name(), Marker.DELAYED_DUMPED)) {
            report.resumedPast(Phase.DELAYED_DUMP);
        } else {
            steps.timed(Phase.DELAYED_DUMP, () -> dump(snapshot));
            state.mark(db.name(), Marker.DELAYED_DUMPED);
        }
        String kind = config.fastVerify() ? "src_counts.delayed.fast" : "src_counts.delayed";
        Optional<Map<String, Long>> cached = state.counts(db.name(), kind);
        if (cached.isPresent()) {
            return cached.get();
        }
        Map<String, Long> counts;
        if (!config.fastVerify() && snapshot.isPresent() && regularCountsFromSnapshot) {
            // the regular counts were read in the very snapshot the delayed data comes from
            counts = regularSourceCounts;
        } else {
            counts = count(config.source(), snapshot.map(SourceSnapshot::id));
        }
        state.saveCounts(db.name(), kind, counts);
        return counts;
    }

    /**
     * pg_dump selects the tables by the --delay-table-data patterns themselves, so its command line does not grow with
     * the number of tables (one argument a table outgrew the kernel's limit). What else the patterns match (a
     * sequence's value, an extension's table, a table of the system schemas, which pg_dump would otherwise dump too)
     * is dumped in vain: the list written next to the dump restores the data of the delayed tables only, by their
     * source oids.
     */
    private void dump(Optional<SourceSnapshot> snapshot) {
        Path dir = steps.dumpDir(".delayed");
        DatabasePipeline.deleteRecursively(dir);
        int jobs = SourceSnapshot.pgDumpJobs(snapshot, Math.max(1, Math.min(config.limits().dumpJobs(),
                tables.size())));
        List<String> argv = new ArrayList<>(List.of(ctx.tools().pgDump().path().toString(), "--format=directory",
                "--data-only", "--jobs=" + jobs, "--file=" + dir));
        argv.addAll(ctx.tools().compressionFor(config.compression()));
        snapshot.ifPresent(s -> argv.add("--snapshot=" + s.id()));
        argv.addAll(ctx.delayed().pgDumpPatternArgs("--table", db.name()));
        // the schemas list_tables leaves out: their tables are never delayed
        argv.addAll(List.of("--exclude-table=\"pg_\"*.*", "--exclude-table=\"information_schema\".*"));
        argv.add("--dbname=" + ConnInfo.of(config.source()).withDatabase(db.name()).value());
        log.info("delayed phase: dumping the data of {} table(s) with pg_dump -j {}", tables.size(), jobs);
        ctx.runner().run(steps.connecting(ProcessSpec.of("pg_dump", argv), config.source())
                .withStderrLog(state.toolLog(db.name(), "pg_dump.delayed"))).requireSuccess();
        Set<Long> oids = DelayedPatterns.read(config.source(), db.name(), snapshot.map(SourceSnapshot::id),
                ctx.delayed()).delayedOids();
        String toc = ctx.runner().run(ProcessSpec.of("pg_restore", List.of(ctx.tools().pgRestore().path().toString(),
                "--list", dir.toString())).capturingStdout()).requireSuccess().stdout();
        AtomicFiles.write(restoreList(), RestoreList.onlyTableDataOf(toc, oids).getBytes(StandardCharsets.UTF_8));
        long dumped = RestoreList.countTableDataOf(toc, oids);
        if (dumped != oids.size()) {
            throw new MigrationException(ExitCode.DATABASES_FAILED, "pg_dump dumped the data of " + dumped + " of the "
                    + oids.size() + " delayed table(s) with the patterns " + ctx.delayed().pgDumpPatternArgs("--table",
                    db.name()) + "; log: " + state.toolLog(db.name(), "pg_dump.delayed"));
        }
    }

    /** The entries of the delayed dump to restore, in the dump's folder. */
    private Path restoreList() {
        return steps.dumpDir(".delayed").resolve("delayed-tables.list");
    }

    // ---------------------------------------------------------------- target side

    void targetSide(Map<String, Long> sourceCounts) throws SQLException, InterruptedException {
        if (!state.has(db.name(), Marker.DELAYED_DONE)) {
            steps.timed(Phase.DELAYED_LOAD, () -> load(sourceCounts));
        } else {
            report.resumedPast(Phase.DELAYED_LOAD);
        }
        if (!state.has(db.name(), Marker.DELAYED_INDEXES_RECREATED)) {
            steps.timed(Phase.INDEXES, this::recreate);
            state.mark(db.name(), Marker.DELAYED_INDEXES_RECREATED);
        } else {
            report.resumedPast(Phase.INDEXES);
        }
        if (!state.has(db.name(), Marker.DELAYED_MATVIEWS_REFRESHED)) {
            refreshMatviews();
            state.mark(db.name(), Marker.DELAYED_MATVIEWS_REFRESHED);
        }
        if (state.has(db.name(), Marker.DELAYED_VERIFY)) {
            report.resumedPast(Phase.DELAYED_VERIFY);
            return;
        }
        steps.timed(Phase.DELAYED_VERIFY, () -> verify(sourceCounts));
        state.mark(db.name(), Marker.DELAYED_VERIFY);
    }

    private void load(Map<String, Long> sourceCounts) throws SQLException {
        if (!state.has(db.name(), Marker.DELAYED_INDEXES_DROPPED)) {
            try (Connection c = Connections.open(config.target(), db.name()); Statement st = c.createStatement()) {
                QuietDdl.apply(c);
                for (DelayedDdl.Index index : ddl.indexes()) {
                    st.execute("DROP INDEX IF EXISTS " + Identifiers.quote(index.schema()) + "."
                            + Identifiers.quote(index.name()));
                }
            }
            log.info("delayed phase: dropped {} secondary index(es)", ddl.indexes().size());
            state.mark(db.name(), Marker.DELAYED_INDEXES_DROPPED);
        }
        state.clearCounts(db.name(), "dst_counts.delayed");
        state.clearCounts(db.name(), "dst_counts.delayed.fast");
        boolean cutShort = state.has(db.name(), Marker.DELAYED_LOADING);
        state.mark(db.name(), Marker.DELAYED_LOADING);
        Optional<String> quiet;
        try (Connection c = Connections.open(config.target(), db.name())) {
            quiet = QuietDdl.apply(c);
            if (cutShort) {
                emptyTablesLoadedEarlier(c, sourceCounts);
            }
        }
        Path logFile = state.toolLog(db.name(), "pg_restore.delayed");
        DatabasePipeline.deleteRecursively(logFile);
        List<String> argv = new ArrayList<>(List.of(ctx.tools().pgRestore().path().toString(), "--format=directory",
                "--data-only", "--disable-triggers",
                "--jobs=" + Math.max(1, Math.min(config.limits().restoreJobs(), tables.size())),
                "--dbname=" + ConnInfo.of(config.target()).withDatabase(db.name()).value()));
        if (Files.exists(restoreList())) { // an earlier version's dump named each table and has none
            argv.add("--use-list=" + restoreList());
        }
        argv.add(steps.dumpDir(".delayed").toString());
        ProcessSpec spec = steps.connecting(ProcessSpec.of("pg_restore", argv), config.target());
        String options = Stream.concat(Stream.of(ctx.sessionTuning() ? TargetTuning.sessionOptions() : null),
                quiet.stream()).filter(java.util.Objects::nonNull).collect(Collectors.joining(" "));
        if (!options.isEmpty()) {
            spec = spec.withServerOptions(options);
        }
        log.info("delayed phase: loading the data of {} table(s)", tables.size());
        steps.runRestore(spec.withStderrLog(logFile), logFile);
        if (!ddl.triggers().isEmpty()) {
            // pg_restore --disable-triggers ends each table with ENABLE TRIGGER ALL
            try (Connection c = Connections.open(config.target(), db.name()); Statement st = c.createStatement()) {
                for (DelayedDdl.TriggerState t : ddl.triggers()) {
                    st.execute(t.statement());
                }
            }
            log.info("delayed phase: gave {} trigger(s) back their state (disabled, replica or always)",
                    ddl.triggers().size());
        }
        state.mark(db.name(), Marker.DELAYED_DONE);
        state.clear(db.name(), Marker.DELAYED_LOADING);
    }

    /**
     * Before a load after one cut short. The database has been usable since its regular phase, so what a delayed
     * table holds may be rows clients wrote, which are never deleted: the first load empties nothing. pg_restore
     * loads each table with one COPY, so an earlier load left each table with all of its source rows or none.
     * A table holding exactly the source's count is emptied and loaded again; an empty one is loaded; any other
     * count stops the database with a line saying so (rows written on the target, which only the DBA can sort out).
     */
    private void emptyTablesLoadedEarlier(Connection c, Map<String, Long> sourceCounts) throws SQLException {
        List<String> loaded = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            for (TableRef t : tables) {
                long expected = sourceCounts.getOrDefault(t.key(), -1L);
                long rows;
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT 1 FROM ONLY " + t.key()
                        + " LIMIT " + (Math.max(expected, 0) + 1) + ") s")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                if (rows == expected) {
                    loaded.add(t.key());
                } else if (rows > 0) {
                    String held = rows > expected ? "more than " + expected : Long.toString(rows);
                    throw MigrationException.state("delayed table " + t.key() + " holds " + held + " row(s) on the "
                            + "target, but a load cut short leaves either none or the source's " + expected
                            + ": rows written on the target since its database became usable? The tool deletes none: "
                            + "empty the table (keeping what you need elsewhere) and run again");
                }
            }
            if (!loaded.isEmpty()) {
                log.info("delayed phase: an earlier load was cut short; emptying the {} table(s) it had loaded",
                        loaded.size());
                st.execute("TRUNCATE ONLY " + String.join(", ", loaded));
            }
        }
    }

    private void recreate() throws SQLException, InterruptedException {
        List<String> statements = new ArrayList<>();
        try (Connection c = Connections.open(config.target(), db.name())) {
            for (DelayedDdl.Index index : ddl.indexes()) {
                if (!exists(c, "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = ? AND c.relname = ?", index.schema(), index.name())) {
                    statements.add(index.definition());
                }
            }
        }
        log.info("delayed phase: re-creating {} index(es), {} at a time", statements.size(),
                config.limits().restoreJobs());
        ParallelStatements.run(config.target(), db.name(), statements, config.limits().restoreJobs(), "index", c -> {
            QuietDdl.apply(c);
            if (ctx.sessionTuning()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET maintenance_work_mem = '2GB'");
                }
            }
        });
        try (Connection c = Connections.open(config.target(), db.name()); Statement st = c.createStatement()) {
            QuietDdl.apply(c);
            for (DelayedDdl.ForeignKey fk : ddl.foreignKeys()) {
                if (!exists(c, "SELECT 1 FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid "
                        + "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ? AND r.relname = ? "
                        + "AND c.conname = ?", fk.tableSchema(), fk.tableName(), fk.name())) {
                    st.execute(fk.addStatement());
                }
                // apart from the key's own commit: given again where an earlier run stopped in between
                if (fk.commentStatement() != null) {
                    st.execute(fk.commentStatement());
                }
            }
        }
        if (!ddl.foreignKeys().isEmpty()) {
            log.info("delayed phase: added back {} foreign key(s) into the delayed tables", ddl.foreignKeys().size());
        }
    }

    /**
     * The regular restore refreshed the materialized views over the still empty delayed tables: those populated on
     * the source that read them are refreshed again, each after the views it reads, in pg_restore's session settings
     * (every name qualified, so a search_path set on the target's role or database changes nothing).
     */
    private void refreshMatviews() throws SQLException, InterruptedException {
        if (ddl.matviews().isEmpty()) {
            return;
        }
        log.info("delayed phase: refreshing {} materialized view(s) that read the delayed tables",
                ddl.matviews().size());
        List<String> statements = ddl.matviews().stream().map(DelayedDdl.MatView::refreshStatement).toList();
        // one at a time: a view may read another
        ParallelStatements.run(config.target(), db.name(), statements, 1, "matview", c -> {
            QuietDdl.apply(c);
            try (Statement st = c.createStatement()) {
                for (String setting : PG_RESTORE_SETTINGS) {
                    st.execute(setting);
                }
            }
        });
    }

    /** What pg_restore sets before it runs a dump's statements. */
    private static final List<String> PG_RESTORE_SETTINGS = List.of("SET statement_timeout = 0",
            "SET lock_timeout = 0", "SET idle_in_transaction_session_timeout = 0",
            "SET standard_conforming_strings = on", "SELECT pg_catalog.set_config('search_path', '', false)",
            "SET check_function_bodies = false", "SET xmloption = content", "SET client_min_messages = warning",
            "SET row_security = off");

    private void verify(Map<String, Long> source) throws SQLException, InterruptedException {
        String kind = config.fastVerify() ? "dst_counts.delayed.fast" : "dst_counts.delayed";
        Map<String, Long> target = state.counts(db.name(), kind).orElse(null);
        if (target == null) {
            target = count(config.target(), Optional.empty());
            state.saveCounts(db.name(), kind, target);
        }
        Set<String> delayedKeys = tables.stream().map(TableRef::key).collect(Collectors.toSet());
        List<Difference> differences = CountComparison.compare(source, target, Set.of());
        List<Difference> failing = new ArrayList<>();
        for (Difference d : differences) {
            if (config.fastVerify() && !delayedKeys.contains(d.table())) {
                report.warning("estimate differs: " + d);
            } else {
                failing.add(d);
            }
        }
        if (!failing.isEmpty()) {
            failing.stream().limit(20).forEach(d -> report.error("row count differs: " + d));
            throw new DatabasePipeline.VerificationFailed("delayed verify: " + failing.size()
                    + " table(s) differ, first: " + failing.get(0));
        }
        Map<String, Long> delayedOnly = new LinkedHashMap<>(source);
        delayedOnly.keySet().retainAll(delayedKeys);
        log.info("delayed phase: verified, {} rows in the delayed tables", CountComparison.totalRows(delayedOnly));
    }

    /** Every table of one side: exact, or (fast verify) estimates with the delayed tables counted exactly. */
    private Map<String, Long> count(Endpoint server, Optional<String> snapshot) throws SQLException, InterruptedException {
        if (!config.fastVerify()) {
            return ctx.counter().exact(server, db.name(), snapshot);
        }
        Map<String, Long> counts = new LinkedHashMap<>(ctx.counter().estimated(server, db.name()));
        counts.putAll(ctx.counter().exact(server, db.name(), snapshot, tables));
        return counts;
    }

    private static boolean exists(Connection c, String sql, String... params) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static MigrationException restoreFailed(int errors, int exitCode, Path logFile) {
        return new MigrationException(ExitCode.DATABASES_FAILED, "pg_restore reported " + Math.max(errors, 1)
                + " error(s) (exit " + exitCode + "); log: " + logFile);
    }
}
