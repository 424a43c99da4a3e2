package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.GlobalsReplayer;
import io.pgmigrate.postgres.GlobalsScript;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.process.CancelledException;
import io.pgmigrate.process.ClientTools;
import io.pgmigrate.process.ConnInfo;
import io.pgmigrate.process.ProcessRunner;
import io.pgmigrate.process.ProcessSpec;
import io.pgmigrate.report.RunReport;
import io.pgmigrate.state.StateStore;
import java.sql.Connection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Roles, memberships, role settings and tablespaces: {@code pg_dumpall --globals-only} from the source, kept in
 * memory only (it holds password hashes), replayed on the target statement by statement, leaving out every
 * statement that would create or alter the target's own connecting role, so its password still works, or its
 * bootstrap superuser (initdb's, which a source role of the same name must not demote or give its password), and every
 * role setting in one database, which comes with the database's properties once it is migrated.
 * Objects that already exist are fine; anything else the target refuses is reported, not fatal. Ctrl-C cancels
 * the statement running on the target (it may be waiting for a lock) and ends the replay.
 */
public final class GlobalsMigration {
    private static final Logger log = LoggerFactory.getLogger(GlobalsMigration.class);

    private final Endpoint source;
    private final Endpoint target;
    private final ClientTools tools;
    private final ProcessRunner runner;
    private final StateStore state;
    private final Tablespaces tablespaces;
    private final Cancellation cancellation;
    /** The target login is not a superuser ({@link ManagedTarget}): statements as it can run them. */
    private final boolean managed;

    public GlobalsMigration(Endpoint source, Endpoint target, ClientTools tools, ProcessRunner runner,
                            StateStore state, Tablespaces tablespaces, Cancellation cancellation, boolean managed) {
        this.managed = managed;
        this.tablespaces = tablespaces;
        this.cancellation = cancellation;
        this.source = source;
        this.target = target;
        this.tools = tools;
        this.runner = runner;
        this.state = state;
    }

    public void run(RunReport report) throws java.sql.SQLException {
        if (state.hasGlobal(StateStore.GLOBALS_DONE)) {
            log.info("global objects: migrated by an earlier run");
            return;
        }
        List<String> argv = List.of(tools.pgDumpall().path().toString(), "--globals-only",
                "--dbname=" + ConnInfo.of(source).value());
        // UTF-8 out whatever the source's encoding, since the script is read as UTF-8 and pgjdbc speaks only UTF-8
        ProcessSpec spec = ProcessSpec.of("pg_dumpall", argv).capturingStdout().withEnv("PGCLIENTENCODING", "UTF8")
                .withStderrLog(state.logDir().resolve("pg_dumpall.log"));
        if (source.password() != null) {
            spec = spec.withEnv("PGPASSWORD", source.password());
        }
        String script = runner.run(spec).requireSuccess().stdout();
        GlobalsScript globals = GlobalsScript.parse(script);
        String bootstrap;
        try (Connection c = Connections.open(target, target.database())) {
            bootstrap = Sql.strings(c, "bootstrap_superuser").get(0);
        }
        for (String skipped : globals.skipped(target.user())) {
            log.info("global objects: leaving out {}", skipped);
        }
        List<String> bootstrapSkipped = bootstrap.equals(target.user()) ? List.of() : globals.skipped(bootstrap);
        for (String skipped : bootstrapSkipped) {
            log.info("global objects: leaving out {} (the target's bootstrap superuser)", skipped);
        }
        if (!bootstrapSkipped.isEmpty()) {
            String note = "global objects: the source's role " + Identifiers.quote(bootstrap) + " was not applied to "
                    + "the target's bootstrap superuser of that name (initdb's role; this run logs in as "
                    + Identifiers.quote(target.user()) + "): it keeps its own password, attributes and settings, and "
                    + "verification names those that differ from the source's role";
            log.warn(note);
            report.note(note);
        }
        globals = globals.leavingOut(bootstrap);
        for (String setting : globals.databaseRoleSettings(target.user())) {
            log.info("global objects: leaving {} to its database (applied with its properties if it is migrated)",
                    setting);
        }
        int sourceMajor;
        String sourceBootstrap;
        try (Connection c = Connections.open(source, source.database())) {
            sourceMajor = c.getMetaData().getDatabaseMajorVersion();
            sourceBootstrap = Sql.strings(c, "bootstrap_superuser").get(0);
        }
        GlobalsReplayer.Result result;
        try (Connection c = Connections.open(target, target.database())) {
            GlobalsReplayer replayer = new GlobalsReplayer(c);
            cancellation.onCancel(replayer::stop);
            cancellation.check(); // a Ctrl-C before the line above: its actions have run without this one
            List<String> statements = globals.statementsFor(target.user(), sourceMajor,
                    c.getMetaData().getDatabaseMajorVersion(), sourceBootstrap, bootstrap);
            result = replayer.replay(tablespaces.apply(managed
                    ? statements.stream().map(GlobalsScript::asNonSuperuser).toList() : statements));
        } catch (CancelledException e) {
            String note = "global objects: " + e.getMessage() + "; each statement commits on its own: the target "
                    + "holds those before it, and the next run replays them all again";
            log.warn(note);
            report.note(note);
            throw e;
        }
        log.info("global objects: {} statements run, {} objects already existed, {} failed",
                result.executed(), result.alreadyExisted(), result.failures().size());
        for (GlobalsReplayer.Failure failure : result.failures()) {
            log.error("global objects: {}", failure);
            report.error("global object not migrated: " + failure);
        }
        if (result.failures().isEmpty()) {
            state.markGlobal(StateStore.GLOBALS_DONE);
        }
        warnAboutMd5Passwords(report, bootstrap);
    }

    /**
     * A role whose password hash is md5 keeps it on the target, but cannot log in where pg_hba.conf asks for
     * scram-sha-256: say so, naming the roles, so the DBA can reset their passwords or allow md5. The target's login
     * role and its bootstrap superuser keep their own passwords: never named.
     */
    private void warnAboutMd5Passwords(RunReport report, String bootstrap) {
        List<String> md5Roles;
        boolean hbaScram;
        String encryption;
        try (Connection s = Connections.open(source, source.database())) {
            md5Roles = Sql.strings(s, "md5_roles");
        } catch (java.sql.SQLException e) {
            log.debug("cannot read the source's password hashes: {}", e.getMessage());
            return;
        }
        md5Roles.remove(target.user());
        md5Roles.remove(bootstrap);
        if (md5Roles.isEmpty()) {
            return;
        }
        try (Connection t = Connections.open(target, target.database());
             java.sql.Statement st = t.createStatement();
             java.sql.ResultSet rs = st.executeQuery(Sql.get("scram_only_hba"))) {
            rs.next();
            hbaScram = rs.getBoolean(1);
            encryption = rs.getString(2);
        } catch (java.sql.SQLException e) {
            log.debug("cannot read the target's pg_hba rules: {}", e.getMessage());
            return;
        }
        if (hbaScram) {
            String warning = md5Roles.size() + " role(s) have md5 password hashes, which the target's pg_hba.conf "
                    + "(scram-sha-256) will not accept: " + String.join(", ", md5Roles.stream().limit(20).toList())
                    + (md5Roles.size() > 20 ? ", ..." : "") + "; reset their passwords on the target (password_encryption = "
                    + encryption + "), or allow md5 in pg_hba.conf";
            log.warn(warning);
            report.note(warning);
        }
    }
}
