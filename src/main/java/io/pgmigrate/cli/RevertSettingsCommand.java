package io.pgmigrate.cli;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.pipeline.DatabaseCreator;
import io.pgmigrate.pipeline.LoginMemberships;
import io.pgmigrate.pipeline.ServerChecks;
import io.pgmigrate.pipeline.TargetTuning;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.TargetWal;
import io.pgmigrate.process.ChildProcesses;
import io.pgmigrate.state.Marker;
import io.pgmigrate.state.RunIdentity;
import io.pgmigrate.state.RunLock;
import io.pgmigrate.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pg-migrate revert-settings}: puts the target's settings back after a run that crashed (SIGKILL, power loss)
 * left its fast-load settings applied, for a DBA who gives the migration up instead of running it again.
 */
@Command(name = "revert-settings", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Reverts the fast-load settings (synchronous_commit off, ...) a migration that crashed left "
                + "applied on the target, as its state folder records them: ALTER SYSTEM RESET, or the value a DBA "
                + "had set with ALTER SYSTEM before, then a reload. First it stops what that run left running: its "
                + "pg_dump and pg_restore processes, its sessions in the target databases it had not finished. "
                + "On a managed target it also gives back the memberships that run granted its login. "
                + "Nothing else on the target changes. Run it with "
                + "the migration's --state-dir (or HOME) when that migration is given up; running it again, or where "
                + "nothing is left applied, changes nothing.",
                "Exit code 0 when the settings are reverted (and the memberships given back) or none were left, 5 "
                + "when a run is using the state folder or it belongs to another target."})
public final class RevertSettingsCommand implements Callable<Integer> {
    @Mixin
    TargetOptions connection = new TargetOptions();

    @Option(names = "--state-dir", description = "Folder holding the migration's pg_migrate_state/ (default: $HOME).")
    Path stateDir;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
        output.apply();
        Endpoint target = connection.target();
        Path base = (stateDir != null ? stateDir : MigrateCommand.home()).toAbsolutePath();
        Path migrateDir = base.resolve("pg_migrate_state");
        if (!Files.isDirectory(migrateDir)) {
            throw MigrationException.usage("no state folder " + migrateDir + ": give --state-dir (or HOME) as the "
                    + "migration had it");
        }
        StateStore state = new StateStore(migrateDir, base.resolve("pg_verify_state"));
        try (RunLock lock = RunLock.acquire(migrateDir); TargetWal wal = new TargetWal(target)) {
            TargetTuning tuning = new TargetTuning(target, state, wal);
            LoginMemberships memberships = new LoginMemberships(target, state);
            var record = tuning.recorded();
            boolean granted = memberships.recorded().isPresent();
            List<String> unfinished = state.databasesMarked(Marker.CREATED).stream()
                    .filter(db -> !state.has(db, Marker.PROPERTIES)).toList();
            if (record.isPresent() || granted || !unfinished.isEmpty()) {
                RunIdentity.requireSameTarget(state, new RunIdentity.Server(target.host(), target.port(),
                        ServerChecks.read(target).systemIdentifier()));
            }
            // no run holds the folder: what its list names still running, a crashed run left (pg_restore loading)
            int processes = ChildProcesses.killOrphans(migrateDir.resolve("children.json"));
            // an index build, a foreign key's check: each runs on to its commit without its client
            // a database whose markers are about another one is left alone and named at the end (exit 5), once
            // the settings and memberships, server-wide, are put back all the same
            MigrationException staleMarkers = null;
            int sessions = 0;
            try {
                sessions = unfinished.isEmpty() ? 0 : DatabaseCreator.endLeftoverSessions(target, state, unfinished);
            } catch (MigrationException e) {
                if (e.exitCode() != ExitCode.STATE) {
                    throw e;
                }
                staleMarkers = e;
            }
            if (processes + sessions > 0) {
                System.out.println("stopped what the crashed run left running: " + processes + " process(es) on this "
                        + "machine, " + sessions + " session(s) on the target");
            }
            if (record.isEmpty() && !granted) {
                if (staleMarkers != null) {
                    throw staleMarkers;
                }
                System.out.println("nothing to revert: no fast-load settings nor memberships of the target login are "
                        + "left by the run of " + migrateDir);
                return ExitCode.OK.code();
            }
            List<String> done = new ArrayList<>();
            if (record.isPresent()) {
                tuning.revert(record.get());
                done.add("reverted the fast-load settings on the target " + target.host() + ":" + target.port() + ": "
                        + record.get().applied().keySet().stream().map(name -> {
                            String before = record.get().previous().get(name);
                            return name + (before == null ? " reset" : " back to " + Identifiers.literal(before));
                        }).collect(Collectors.joining(", ")));
            }
            // as the next run would: the roles a managed target's login was granted for the crashed run
            memberships.revokeLeftovers().ifPresent(given -> done.add("gave back the " + given.roles().size()
                    + " membership(s) the crashed run granted to the target login " + Identifiers.quote(given.login())
                    + (record.isPresent() ? "" : " on " + target.host() + ":" + target.port()) + ": "
                    + given.roles().stream().map(Identifiers::quote).collect(Collectors.joining(", "))));
            System.out.println(String.join("; ", done));
            if (staleMarkers != null) {
                throw staleMarkers;
            }
            return ExitCode.OK.code();
        } catch (SQLException e) {
            throw PostgresErrors.sqlError("reverting the target's fast-load settings and the login's memberships", e);
        }
    }
}
