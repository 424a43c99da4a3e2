package io.pgmigrate.postgres;

import io.pgmigrate.MigrationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobalsScriptTest {
    private static final String SCRAM = "SCRAM-SHA-256$4096:ivVEdjVFfuZnMjy+MU1VhQ==$Cvk2SzfIS5uk:hTJruKM302h9gF";

    private static String dump(String body) {
        return "--\n-- PostgreSQL database cluster dump\n--\n\n\\restrict KEY1\n\n"
                + "SET default_transaction_read_only = off;\n\nSET client_encoding = 'UTF8';\n"
                + "SET standard_conforming_strings = on;\n\n--\n-- Roles\n--\n\n" + body
                + "\n\\unrestrict KEY1\n\n--\n-- PostgreSQL database cluster dump complete\n--\n\n";
    }

    private static final String ROLES = dump("""
            CREATE ROLE app;
            ALTER ROLE app WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'md5aaa';
            CREATE ROLE postgres;
            ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS PASSWORD '%s';
            COMMENT ON ROLE postgres IS 'the admin';
            CREATE ROLE postgres2;
            ALTER ROLE postgres2 WITH NOSUPERUSER LOGIN PASSWORD 'md5bbb';
            ALTER ROLE postgres SET statement_timeout TO '1h';
            ALTER ROLE postgres2 SET statement_timeout TO '2h';
            ALTER ROLE postgres IN DATABASE app SET work_mem TO '16MB';
            ALTER ROLE postgres2 IN DATABASE app SET work_mem TO '16MB';
            GRANT app TO postgres GRANTED BY postgres;
            GRANT postgres2 TO app WITH ADMIN OPTION GRANTED BY postgres;
            CREATE TABLESPACE ts OWNER postgres LOCATION '/srv/ts';
            """.formatted(SCRAM));

    @Test
    void leavesOutEveryStatementThatCreatesOrAltersTheTargetUser() {
        List<String> statements = GlobalsScript.parse(ROLES).statementsFor("postgres");

        assertThat(statements).containsExactly(
                "SET default_transaction_read_only = off",
                "SET standard_conforming_strings = on",
                "CREATE ROLE app",
                "ALTER ROLE app WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'md5aaa'",
                "COMMENT ON ROLE postgres IS 'the admin'",
                "CREATE ROLE postgres2",
                "ALTER ROLE postgres2 WITH NOSUPERUSER LOGIN PASSWORD 'md5bbb'",
                "ALTER ROLE postgres2 SET statement_timeout TO '2h'",
                "GRANT app TO postgres GRANTED BY postgres",
                "GRANT postgres2 TO app WITH ADMIN OPTION GRANTED BY postgres",
                "CREATE TABLESPACE ts OWNER postgres LOCATION '/srv/ts'");
        assertThat(String.join("\n", statements)).doesNotContain(SCRAM);
    }

    /** Reached as another role, the target's bootstrap superuser is left out as its login role is. */
    /**
     * A login that is not a superuser is refused NOSUPERUSER, NOREPLICATION and NOBYPASSRLS (checked on 15 and 17),
     * and any GRANTED BY but its own: pg_dumpall's statements lose them, never a role name or a password.
     */
    @Test
    void asNonSuperuserDropsTheSuperuserAttributesAndTheGrantor() {
        assertThat(GlobalsScript.asNonSuperuser("ALTER ROLE \"NOSUPERUSER nobypassrls\" WITH NOSUPERUSER INHERIT "
                + "NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'md5 NOREPLICATION';"))
                .isEqualTo("ALTER ROLE \"NOSUPERUSER nobypassrls\" WITH INHERIT NOCREATEROLE NOCREATEDB LOGIN "
                        + "PASSWORD 'md5 NOREPLICATION';");
        assertThat(GlobalsScript.asNonSuperuser("ALTER ROLE app WITH NOSUPERUSER NOINHERIT CREATEDB NOLOGIN "
                + "NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 3"))
                .isEqualTo("ALTER ROLE app WITH NOINHERIT CREATEDB NOLOGIN CONNECTION LIMIT 3");
        assertThat(GlobalsScript.asNonSuperuser("GRANT grp TO \"Zoë's app\" WITH ADMIN OPTION GRANTED BY postgres;"))
                .isEqualTo("GRANT grp TO \"Zoë's app\" WITH ADMIN OPTION");
        assertThat(GlobalsScript.asNonSuperuser("ALTER ROLE app SET work_mem TO '8MB';"))
                .isEqualTo("ALTER ROLE app SET work_mem TO '8MB';");
        assertThat(GlobalsScript.asNonSuperuser("CREATE ROLE nosuperuser;")).isEqualTo("CREATE ROLE nosuperuser;");
    }

    @Test
    void leavingOutARoleKeepsTheLoginRolesStatementsApart() {
        List<String> statements = GlobalsScript.parse(ROLES).leavingOut("postgres").statementsFor("postgres2");
        assertThat(statements).noneMatch(s -> s.matches("(?s)(CREATE|ALTER) ROLE postgres2?( .*)?"))
                .contains("CREATE ROLE app", "COMMENT ON ROLE postgres IS 'the admin'",
                        "GRANT app TO postgres GRANTED BY postgres", "CREATE TABLESPACE ts OWNER postgres LOCATION '/srv/ts'");
    }

    /**
     * pg_dumpall before 16 writes each membership's grantor; before 16 a CREATEROLE role could grant any role, and a
     * 16+ target refuses such a grantor. From a source before 16 into a 16+ target, the grantor goes (as pg_dumpall
     * 16+ does for such a source); otherwise it stays.
     */
    @Test
    void membershipsLoseTheirGrantorOnlyFromASourceBefore16IntoA16Target() {
        String script = dump("""
                GRANT grp TO app GRANTED BY mgr;
                GRANT "gb ""grp"" GRANTED BY x" TO "gb app" WITH ADMIN OPTION GRANTED BY "gb ""mgr""\";
                CREATE ROLE "GRANTED BY";
                """);
        assertThat(GlobalsScript.parse(script).statementsFor("postgres", 12, 17)).endsWith(
                "GRANT grp TO app",
                "GRANT \"gb \"\"grp\"\" GRANTED BY x\" TO \"gb app\" WITH ADMIN OPTION",
                "CREATE ROLE \"GRANTED BY\"");
        assertThat(GlobalsScript.parse(script).statementsFor("postgres", 12, 15))
                .contains("GRANT grp TO app GRANTED BY mgr");
        assertThat(GlobalsScript.parse(script).statementsFor("postgres", 16, 17))
                .contains("GRANT grp TO app GRANTED BY mgr");
    }

    /**
     * 16+ into 16+: a grant by the source's bootstrap superuser loses its grantor where the target's bootstrap
     * superuser has another name (the target refuses another superuser as grantor); other grantors stay, and so does
     * every grantor between bootstrap superusers of the same name.
     */
    @Test
    void grantsByTheSourcesBootstrapSuperuserLoseTheirGrantorOnATargetInitdbdByAnother() {
        String script = dump("""
                GRANT grp TO app WITH INHERIT TRUE GRANTED BY "Pg ""Boot""\";
                GRANT grp TO other WITH INHERIT TRUE GRANTED BY mgr;
                """);
        assertThat(GlobalsScript.parse(script).statementsFor("admin", 17, 18, "Pg \"Boot\"", "admin")).endsWith(
                "GRANT grp TO app WITH INHERIT TRUE", "GRANT grp TO other WITH INHERIT TRUE GRANTED BY mgr");
        assertThat(GlobalsScript.parse(script).statementsFor("ops", 17, 18, "Pg \"Boot\"", "Pg \"Boot\""))
                .contains("GRANT grp TO app WITH INHERIT TRUE GRANTED BY \"Pg \"\"Boot\"\"\"");
    }

    /**
     * pg_dumpall 10 and older write every role's settings in each database into --globals-only: they come with
     * their database instead (DatabaseProperties), so the replay leaves them out, whatever the spelling.
     */
    @Test
    void roleSettingsInADatabaseAreLeftToTheirDatabase() {
        String script = dump("""
                CREATE ROLE "r ""in"" database";
                ALTER ROLE "r ""in"" database" IN DATABASE "D b" SET work_mem TO '3MB';
                alter user u in  database d reset all;
                ALTER ROLE postgres IN DATABASE d SET work_mem TO '1MB';
                ALTER ROLE "in" SET work_mem TO '2MB';
                ALTER USER MAPPING FOR u SERVER s OPTIONS (SET user 'x');
                """);
        GlobalsScript globals = GlobalsScript.parse(script);

        assertThat(globals.statementsFor("postgres")).endsWith("CREATE ROLE \"r \"\"in\"\" database\"",
                "ALTER ROLE \"in\" SET work_mem TO '2MB'", "ALTER USER MAPPING FOR u SERVER s OPTIONS (SET user 'x')");
        assertThat(globals.databaseRoleSettings("postgres")).containsExactly(
                "ALTER ROLE \"r \"\"in\"\" database\" IN DATABASE \"D b\" SET work_mem TO '3MB'",
                "alter user u in database d reset all");
        assertThat(globals.skipped("postgres")).containsExactly("ALTER ROLE postgres IN DATABASE d SET work_mem TO '1MB'");
    }

    @Test
    void aPrefixOfAnotherRoleNameIsNotThatRole() {
        List<String> statements = GlobalsScript.parse(ROLES).statementsFor("postgres2");

        assertThat(statements).contains("CREATE ROLE postgres", "ALTER ROLE postgres SET statement_timeout TO '1h'")
                .noneMatch(s -> s.startsWith("CREATE ROLE postgres2") || s.startsWith("ALTER ROLE postgres2"));
    }

    @Test
    void skippedDescribesWhatWasLeftOutWithoutPasswords() {
        List<String> skipped = GlobalsScript.parse(ROLES).skipped("postgres");

        assertThat(skipped).containsExactly(
                "CREATE ROLE postgres",
                "ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS PASSWORD '***'",
                "ALTER ROLE postgres SET statement_timeout TO '1h'",
                "ALTER ROLE postgres IN DATABASE app SET work_mem TO '16MB'");
    }

    @Test
    void aTargetUserThatNeedsQuotes() {
        String script = dump("""
                CREATE ROLE "Admin ""X""\";
                ALTER ROLE "Admin ""X""\" WITH SUPERUSER LOGIN PASSWORD 'md5ccc';
                ALTER ROLE "Admin ""X""\" SET search_path TO 'a';
                ALTER ROLE "Admin ""X""\" IN DATABASE db SET work_mem TO '1MB';
                COMMENT ON ROLE "Admin ""X""\" IS 'admin';
                CREATE ROLE "Admin ""X"" 2";
                CREATE ROLE "admin ""x""\";
                CREATE ROLE admin;
                """);

        List<String> statements = GlobalsScript.parse(script).statementsFor("Admin \"X\"");

        assertThat(statements).containsExactly(
                "SET default_transaction_read_only = off",
                "SET standard_conforming_strings = on",
                "COMMENT ON ROLE \"Admin \"\"X\"\"\" IS 'admin'",
                "CREATE ROLE \"Admin \"\"X\"\" 2\"",
                "CREATE ROLE \"admin \"\"x\"\"\"",
                "CREATE ROLE admin");
    }

    @Test
    void unquotedNamesFoldToLowerCaseQuotedOnesDoNot() {
        String script = dump("""
                CREATE ROLE Postgres;
                alter role POSTGRES with password 'md5x';
                CREATE ROLE "Postgres";
                ALTER   ROLE\t"postgres"\nWITH LOGIN;
                """);

        assertThat(GlobalsScript.parse(script).statementsFor("postgres"))
                .containsExactly("SET default_transaction_read_only = off", "SET standard_conforming_strings = on",
                        "CREATE ROLE \"Postgres\"");
        assertThat(GlobalsScript.parse(script).statementsFor("Postgres"))
                .contains("CREATE ROLE Postgres", "alter role POSTGRES with password 'md5x'")
                .doesNotContain("CREATE ROLE \"Postgres\"");
    }

    @Test
    void otherRoleStatementsOfTheTargetUser() {
        String script = dump("""
                CREATE USER postgres;
                ALTER USER postgres WITH PASSWORD 'x';
                ALTER ROLE CURRENT_USER WITH PASSWORD 'y';
                ALTER ROLE postgres RENAME TO pg;
                DROP ROLE IF EXISTS postgres;
                DROP ROLE postgres;
                DROP ROLE IF EXISTS app;
                CREATE USER MAPPING FOR postgres SERVER s;
                ALTER ROLE "current_user" WITH LOGIN;
                GRANT pg_read_all_data TO postgres;
                SECURITY LABEL FOR selinux ON ROLE postgres IS 'x';
                """);

        assertThat(GlobalsScript.parse(script).statementsFor("postgres")).containsExactly(
                "SET default_transaction_read_only = off", "SET standard_conforming_strings = on",
                "DROP ROLE IF EXISTS app",
                "CREATE USER MAPPING FOR postgres SERVER s",
                "ALTER ROLE \"current_user\" WITH LOGIN",
                "GRANT pg_read_all_data TO postgres",
                "SECURITY LABEL FOR selinux ON ROLE postgres IS 'x'");
    }

    @Test
    void olderPgDumpallShapesWithoutRestrictLines() {
        String script = """
                --
                -- PostgreSQL database cluster dump
                --

                SET default_transaction_read_only = off;

                SET client_encoding = 'SQL_ASCII';
                SET standard_conforming_strings = on;

                --
                -- Roles
                --

                CREATE ROLE postgres;
                ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS;
                CREATE ROLE u;
                ALTER ROLE u WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'md5f1';
                ALTER ROLE u IN DATABASE d SET work_mem TO '8MB';

                --
                -- PostgreSQL database cluster dump complete
                --

                """;
        assertThat(GlobalsScript.parse(script).statementsFor("postgres")).containsExactly(
                "SET default_transaction_read_only = off", "SET standard_conforming_strings = on",
                "CREATE ROLE u",
                "ALTER ROLE u WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'md5f1'");
    }

    @Test
    void setClientEncodingIsDroppedAtParse() {
        assertThat(GlobalsScript.parse(ROLES).statements()).noneMatch(s -> s.contains("client_encoding"))
                .contains("SET standard_conforming_strings = on");
    }

    @Test
    void refusesIncompleteOutput() {
        String cut = ROLES.substring(0, ROLES.indexOf("CREATE TABLESPACE"));
        assertThatThrownBy(() -> GlobalsScript.parse(cut)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("incomplete");
    }

    @Test
    void refusesAFullDump() {
        String full = dump("CREATE ROLE a;\n\\connect template1\n\nSELECT 1;\n");
        assertThatThrownBy(() -> GlobalsScript.parse(full)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("--globals-only");
    }

    @Test
    void anUnreadableRoleNameFailsWithoutShowingThePassword() {
        String script = dump("ALTER ROLE 1x WITH PASSWORD 'md5secret';\n");
        GlobalsScript parsed = GlobalsScript.parse(script);
        assertThatThrownBy(() -> parsed.statementsFor("postgres")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("role name").hasMessageNotContaining("md5secret");
    }

    @Test
    void redactsEveryPasswordLiteral() {
        assertThat(GlobalsScript.redactPasswords("ALTER ROLE a WITH LOGIN PASSWORD 'md5abc' VALID UNTIL 'infinity'"))
                .isEqualTo("ALTER ROLE a WITH LOGIN PASSWORD '***' VALID UNTIL 'infinity'");
        assertThat(GlobalsScript.redactPasswords("create role a encrypted password\n'it''s' login password E'x\\'y'"))
                .isEqualTo("create role a encrypted password\n'***' login password '***'");
        assertThat(GlobalsScript.redactPasswords("ALTER ROLE a PASSWORD 'SCRAM-SHA-256$4096:cut-off"))
                .isEqualTo("ALTER ROLE a PASSWORD '***'");
        assertThat(GlobalsScript.redactPasswords("ALTER ROLE a PASSWORD NULL")).isEqualTo("ALTER ROLE a PASSWORD NULL");
        assertThat(GlobalsScript.redactPasswords("COMMENT ON ROLE passwords IS 'x'"))
                .isEqualTo("COMMENT ON ROLE passwords IS 'x'");
    }

    @Test
    void describeRedactsCollapsesAndAbbreviates() {
        String described = GlobalsScript.describe("ALTER ROLE \"" + "r".repeat(60) + "\"\n    WITH NOSUPERUSER INHERIT"
                + " NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD '" + SCRAM + "'");
        assertThat(described).hasSizeLessThanOrEqualTo(120).endsWith("...").doesNotContain("\n")
                .doesNotContain("SCRAM");
    }

    @Test
    void passwordValuesAreTheLiteralContents() {
        assertThat(GlobalsScript.passwordValues("ALTER ROLE a PASSWORD 'md5abc'; ALTER ROLE b PASSWORD ''"))
                .containsExactly("md5abc");
    }
}
