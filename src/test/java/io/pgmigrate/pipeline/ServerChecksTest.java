package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.ServerInfo;
import org.junit.jupiter.api.Test;

/**
 * The decisions of the checks on each server. No 9.4 server is at hand to run against (the test servers start at
 * 9.6), so the version's is tested on the number alone; {@link ServerChecks#read} makes it before any other query.
 */
class ServerChecksTest {
    private static final Endpoint SOURCE = new Endpoint("source", "old.example", 5432, "postgres", null, "postgres");

    @Test
    void aServerOlderThan95IsRefusedInOneLine() {
        MigrationException e = catchThrowableOfType(() -> ServerChecks.requireSupportedVersion(SOURCE, 90424),
                MigrationException.class);
        assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(e.getMessage()).isEqualTo("the source old.example:5432 is PostgreSQL 9.4: pg-migrate reads servers "
                + "of 9.5 and newer (tested from 9.6 on); upgrade it in place first (pg_upgrade), or migrate it with "
                + "pg_dumpall and psql");
        assertThat(catchThrowableOfType(() -> ServerChecks.requireSupportedVersion(SOURCE, 80423),
                MigrationException.class).getMessage()).contains("is PostgreSQL 8.4:");
        for (int version : new int[] {90500, 90624, 120022, 180000}) {
            assertThatCode(() -> ServerChecks.requireSupportedVersion(SOURCE, version)).doesNotThrowAnyException();
        }
    }

    @Test
    void aLoginThatIsNotASuperuserIsRefusedNamingServerUserAndOption() {
        Endpoint target = new Endpoint("target", "new.example", 5433, "app", null, "postgres");
        MigrationException e = catchThrowableOfType(() -> ServerChecks.requireSuperuser(target,
                new ServerInfo(170005, false, false, false, 100, 3, 1, null), "it must"), MigrationException.class);
        assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(e.getMessage()).isEqualTo("the target new.example:5433: user app is not a superuser, and it must; "
                + "connect as a superuser with --to-user");
        assertThatCode(() -> ServerChecks.requireSuperuser(target, new ServerInfo(170005, true, false, false, 100, 3,
                1, null), "it must")).doesNotThrowAnyException();
    }

    /** Only a standby before 10 whose replay runs: a primary, a paused one or one of 10+ can be read at one moment. */
    @Test
    void aStandbySourceBefore10IsRefusedUnlessItsReplayIsPaused() {
        MigrationException e = catchThrowableOfType(() -> ServerChecks.requireReadableAtOneMoment(SOURCE,
                new ServerInfo(90624, true, true, false, 100, 3, 1, null)), MigrationException.class);
        assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(e.getMessage()).startsWith("the source old.example:5432 is a PostgreSQL 9.6 standby, which cannot "
                + "export a snapshot").contains("SELECT pg_xlog_replay_pause()").endsWith("or migrate from the primary "
                + "or a standby of 10 or newer");
        for (ServerInfo fine : new ServerInfo[] {new ServerInfo(90624, true, false, false, 100, 3, 1, null),
                new ServerInfo(90624, true, true, true, 100, 3, 1, null),
                new ServerInfo(100023, true, true, false, 100, 3, 1, null)}) {
            assertThatCode(() -> ServerChecks.requireReadableAtOneMoment(SOURCE, fine)).doesNotThrowAnyException();
        }
    }
}
