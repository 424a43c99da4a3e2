package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.ServerInfo;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What both commands ask of each server before they read or change anything: a version the tool's own catalog
 * queries run on, a superuser login (the roles' password hashes, every object of every owner), and for migrate a
 * target that is not a standby and a source it can read at one moment.
 */
public final class ServerChecks {
    /** 9.5: the tool's catalog queries use to_jsonb. Tested from 9.6 on. */
    static final int OLDEST_VERSION_NUM = 90500;

    private ServerChecks() {
    }

    /** The server's version, settings and login, after checking that its version is one the tool can read. */
    public static ServerInfo read(Endpoint server) {
        try (Connection c = Connections.open(server, server.database())) {
            Catalog catalog = new Catalog(c);
            requireSupportedVersion(server, catalog.versionNum());
            return catalog.serverInfo();
        } catch (SQLException e) {
            throw PostgresErrors.sqlError("reading the " + server.role() + "'s settings", e);
        }
    }

    /** A server older than 9.5 is refused (exit 3) before the first query it could not run. */
    static void requireSupportedVersion(Endpoint server, int versionNum) {
        if (versionNum < OLDEST_VERSION_NUM) {
            throw MigrationException.environment("the " + server.role() + " " + address(server) + " is PostgreSQL "
                    + versionNum / 10000 + "." + versionNum / 100 % 100 + ": pg-migrate reads servers of 9.5 and "
                    + "newer (tested from 9.6 on); upgrade it in place first (pg_upgrade), or migrate it with "
                    + "pg_dumpall and psql");
        }
    }

    /** Exit 3 unless the login is a superuser, naming the server, the user, why it must be one and what to do. */
    public static void requireSuperuser(Endpoint server, ServerInfo info, String why) {
        if (!info.superuser()) {
            throw MigrationException.environment("the " + server.role() + " " + address(server) + ": user "
                    + server.user() + " is not a superuser, and " + why + "; connect as a superuser with "
                    + (server.role().equals("source") ? "--from-user" : "--to-user"));
        }
    }

    /**
     * Exit 3 if the target is a standby (in recovery): it is read-only, so the run would get past every other check
     * and fail on each role and database. Only the target: a standby source serves pg_dump, and verify only reads.
     */
    public static void requireNotStandby(Endpoint target, ServerInfo info) {
        if (info.inRecovery()) {
            throw MigrationException.environment("the target " + address(target) + " is a standby in recovery "
                    + "(read-only), and the run creates roles and databases on it; point --to-host/--to-port at the "
                    + "primary server");
        }
    }

    /**
     * Exit 3 if the source is a standby before 10 whose WAL replay runs: it cannot export a snapshot, so pg_dump -j
     * refuses it, and the run's other connections (the counts, stream mode's copies) would each read it at a moment
     * of their own while replay changes it. With replay paused nothing changes on it, and the run reads it without a
     * snapshot (pg_dump with one job, see {@link SourceSnapshot#pgDumpJobs}).
     */
    public static void requireReadableAtOneMoment(Endpoint source, ServerInfo info) {
        if (info.exportsNoSnapshot() && !info.replayPaused()) {
            throw MigrationException.environment("the source " + address(source) + " is a PostgreSQL "
                    + info.majorVersion() + " standby, which cannot export a snapshot (standbys can from 10 on), so "
                    + "the run's connections would read its databases at different moments while WAL replay changes "
                    + "them; pause replay there for the run (SELECT pg_xlog_replay_pause(), and "
                    + "pg_xlog_replay_resume() after it), or migrate from the primary or a standby of 10 or newer");
        }
    }

    private static String address(Endpoint server) {
        return server.host() + ":" + server.port();
    }
}
