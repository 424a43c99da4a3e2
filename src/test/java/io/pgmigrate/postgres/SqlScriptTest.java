package io.pgmigrate.postgres;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlScriptTest {

    @Test
    void splitsOnSemicolonsAndTrims() {
        assertThat(SqlScript.split("SELECT 1;\n  SELECT 2 ;SELECT 3;"))
                .containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void dropsEmptyStatementsAndBlankInput() {
        assertThat(SqlScript.split(";;  ;\n;SELECT 1;;")).containsExactly("SELECT 1");
        assertThat(SqlScript.split("")).isEmpty();
        assertThat(SqlScript.split(" \n\t ")).isEmpty();
    }

    @Test
    void keepsALastStatementWithoutSemicolon() {
        assertThat(SqlScript.split("SELECT 1;\nSELECT 2\n")).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void handlesCrLfLineEndings() {
        assertThat(SqlScript.split("-- c\r\nSELECT 1;\r\n\\restrict k\r\nSELECT 2;\r\n"))
                .containsExactly("SELECT 1", "SELECT 2");
    }

    @Nested
    class SingleQuotedStrings {
        @Test
        void semicolonInsideAStringDoesNotSplit() {
            assertThat(SqlScript.split("COMMENT ON ROLE a IS 'x; y';SELECT 1;"))
                    .containsExactly("COMMENT ON ROLE a IS 'x; y'", "SELECT 1");
        }

        @Test
        void doubledQuotesStayInsideTheString() {
            assertThat(SqlScript.split("SELECT 'it''s; fine', '''';SELECT ''"))
                    .containsExactly("SELECT 'it''s; fine', ''''", "SELECT ''");
        }

        @Test
        void backslashIsNotAnEscapeInStandardStrings() {
            assertThat(SqlScript.split("SELECT 'C:\\';SELECT 2;"))
                    .containsExactly("SELECT 'C:\\'", "SELECT 2");
        }

        @Test
        void escapeStringsTakeBackslashEscapes() {
            assertThat(SqlScript.split("SELECT E'a\\'; b', e'\\\\';SELECT E'it''s';SELECT 3"))
                    .containsExactly("SELECT E'a\\'; b', e'\\\\'", "SELECT E'it''s'", "SELECT 3");
        }

        @Test
        void anIdentifierEndingInEIsNotAnEscapeStringPrefix() {
            // "type" followed by a standard string: the backslash before the quote does not escape it
            assertThat(SqlScript.split("SELECT type'\\';SELECT 2"))
                    .containsExactly("SELECT type'\\'", "SELECT 2");
        }

        @Test
        void standardConformingStringsOffMakesBackslashesEscapes() {
            String script = "SET standard_conforming_strings = off;\nSELECT 'a\\'; b';\n"
                    + "SET standard_conforming_strings = on;\nSELECT 'c:\\';SELECT 4;";
            assertThat(SqlScript.split(script)).containsExactly(
                    "SET standard_conforming_strings = off", "SELECT 'a\\'; b'",
                    "SET standard_conforming_strings = on", "SELECT 'c:\\'", "SELECT 4");
        }

        @Test
        void bitStringsNeverTakeBackslashEscapes() {
            assertThat(SqlScript.split("SET standard_conforming_strings TO 'off';SELECT B'\\';SELECT 2"))
                    .containsExactly("SET standard_conforming_strings TO 'off'", "SELECT B'\\'", "SELECT 2");
        }

        @Test
        void commentMarkersInsideStringsAreText() {
            assertThat(SqlScript.split("SELECT '-- not; a comment', '/* nor; this */';SELECT 2"))
                    .containsExactly("SELECT '-- not; a comment', '/* nor; this */'", "SELECT 2");
        }
    }

    @Nested
    class QuotedIdentifiers {
        @Test
        void semicolonsQuotesAndDoubledDoubleQuotesInsideIdentifiers() {
            assertThat(SqlScript.split("CREATE ROLE \"a;\"\"b'c\";CREATE ROLE \"--x\";"))
                    .containsExactly("CREATE ROLE \"a;\"\"b'c\"", "CREATE ROLE \"--x\"");
        }
    }

    @Nested
    class DollarQuoting {
        @Test
        void plainDollarQuotes() {
            assertThat(SqlScript.split("DO $$ BEGIN PERFORM 1; END $$;SELECT 2;"))
                    .containsExactly("DO $$ BEGIN PERFORM 1; END $$", "SELECT 2");
        }

        @Test
        void taggedDollarQuotesMayContainOtherDelimiters() {
            String fn = "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $fn$\n"
                    + "BEGIN RETURN $$it's; -- not a comment$$ || $x$;$x$; END\n$fn$";
            assertThat(SqlScript.split(fn + ";\nSELECT 2;")).containsExactly(fn, "SELECT 2");
        }

        @Test
        void parametersAndDollarsInIdentifiersAreNotQuotes() {
            assertThat(SqlScript.split("PREPARE p AS SELECT $1;SELECT a$b$ FROM t;SELECT 3"))
                    .containsExactly("PREPARE p AS SELECT $1", "SELECT a$b$ FROM t", "SELECT 3");
        }

        @Test
        void tagsAreCaseSensitive() {
            assertThat(SqlScript.split("SELECT $A$ ;$a$ ; $A$;SELECT 2"))
                    .containsExactly("SELECT $A$ ;$a$ ; $A$", "SELECT 2");
        }
    }

    @Nested
    class Comments {
        @Test
        void lineCommentsAreDroppedWithTheirSemicolonsAndQuotes() {
            assertThat(SqlScript.split("-- it's; \"odd\nSELECT 1 -- trailing; comment '\n, 2;"))
                    .containsExactly("SELECT 1 \n, 2");
        }

        @Test
        void blockCommentsNestAndAreDropped() {
            assertThat(SqlScript.split("/* a; /* nested; */ still comment; ' */SELECT /* x */1;"))
                    .containsExactly("SELECT  1");
        }

        @Test
        void commentOnlyChunksAreDropped() {
            assertThat(SqlScript.split("--\n-- Roles\n--\n\n/* nothing */;\nSELECT 1;\n--\n-- end\n--\n"))
                    .containsExactly("SELECT 1");
        }

        @Test
        void aCommentSeparatesTokens() {
            assertThat(SqlScript.split("SELECT/**/1;SELECT--x\n2")).containsExactly("SELECT 1", "SELECT\n2");
        }
    }

    @Nested
    class MetaCommands {
        @Test
        void metaCommandLinesBetweenStatementsAreDroppedAndKept() {
            SqlScript script = SqlScript.parse("--\n\\restrict Abc123\n\nSET x = 1;\n\\connect -reuse-previous=on \"dbname='a;b'\"\n"
                    + "SELECT 1;\n\n\\unrestrict Abc123\n");
            assertThat(script.statements()).containsExactly("SET x = 1", "SELECT 1");
            assertThat(script.metaCommands()).containsExactly("\\restrict Abc123",
                    "\\connect -reuse-previous=on \"dbname='a;b'\"", "\\unrestrict Abc123");
        }

        @Test
        void backslashesInsideQuotesAreNotMetaCommands() {
            assertThat(SqlScript.split("SELECT '\n\\restrict x\n';\nSELECT $$\n\\c db\n$$"))
                    .containsExactly("SELECT '\n\\restrict x\n'", "SELECT $$\n\\c db\n$$");
        }

        @Test
        void aMetaCommandInsideAStatementIsRefused() {
            assertThatThrownBy(() -> SqlScript.split("SELECT 1,\n\\gset\n2;"))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("line 2");
        }
    }

    @Nested
    class StatementBlocks {
        @Test
        void sqlStandardFunctionBodiesKeepTheirSemicolons() {
            String fn = "CREATE FUNCTION public.f(a integer) RETURNS integer\n    LANGUAGE sql\n    BEGIN ATOMIC\n"
                    + " SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n SELECT (a + 1);\nEND";
            String proc = "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END";
            assertThat(SqlScript.split(fn + ";\n" + proc + ";\nSELECT 3;")).containsExactly(fn, proc, "SELECT 3");
        }

        @Test
        void beginOutsideARoutineIsATransactionStatement() {
            assertThat(SqlScript.split("BEGIN;CREATE TABLE t (c int);END;"))
                    .containsExactly("BEGIN", "CREATE TABLE t (c int)", "END");
        }

        @Test
        void semicolonsInsideParenthesesDoNotSplit() {
            String rule = "CREATE RULE r AS ON INSERT TO public.t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))";
            assertThat(SqlScript.split(rule + ";\nSELECT 2;")).containsExactly(rule, "SELECT 2");
        }
    }

    @Nested
    class Refusals {
        @Test
        void unterminatedQuotesAndCommentsAreRefused() {
            for (String script : new String[]{"SELECT 'abc;", "SELECT \"abc;", "SELECT $q$ abc;", "SELECT 1 /* /* */;",
                    "ALTER ROLE a PASSWORD E'abc\\';"}) {
                assertThatThrownBy(() -> SqlScript.split(script), script)
                        .isInstanceOf(MigrationException.class)
                        .hasMessageContaining("truncated")
                        .extracting(e -> ((MigrationException) e).exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            }
        }

        @Test
        void theTruncationMessageDoesNotQuoteTheScript() {
            assertThatThrownBy(() -> SqlScript.split("SELECT 1;\nALTER ROLE a PASSWORD 'SCRAM-SHA-256$4096:abc"))
                    .hasMessageNotContaining("SCRAM").hasMessageContaining("line 2");
        }

        @Test
        void copyFromStdinIsRefused() {
            assertThatThrownBy(() -> SqlScript.split("COPY public.t (a) FROM stdin;\n1\n\\.\n"))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("COPY");
            assertThat(SqlScript.split("COPY t TO STDOUT")).containsExactly("COPY t TO STDOUT");
        }
    }

    @Test
    void realPgDumpall15GlobalsOutput() {
        String dump = """
                --
                -- PostgreSQL database cluster dump
                --

                \\restrict ah56QhFYzrCtj3lMERU78ol7nba9rbV0eGULrqw0C0pujwTfjKatkwauanuab2S

                SET default_transaction_read_only = off;

                SET client_encoding = 'UTF8';
                SET standard_conforming_strings = on;

                --
                -- Roles
                --

                CREATE ROLE "Mixed ""Case"" Rôle";
                ALTER ROLE "Mixed ""Case"" Rôle" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 3 PASSWORD 'SCRAM-SHA-256$4096:gFd5SATB3WR4oF7HmRXUbw==$1z9M:MwJW' VALID UNTIL '2099-01-01 00:00:00+00';
                CREATE ROLE app;
                COMMENT ON ROLE app IS 'it''s app; $$ and "q"';

                --
                -- User Config "app"
                --

                ALTER ROLE app SET search_path TO 'a', 'B c', 'public';

                GRANT grp TO app WITH ADMIN OPTION GRANTED BY postgres;

                \\unrestrict ah56QhFYzrCtj3lMERU78ol7nba9rbV0eGULrqw0C0pujwTfjKatkwauanuab2S

                --
                -- PostgreSQL database cluster dump complete
                --

                """;
        SqlScript script = SqlScript.parse(dump);
        assertThat(script.statements()).containsExactly(
                "SET default_transaction_read_only = off",
                "SET client_encoding = 'UTF8'",
                "SET standard_conforming_strings = on",
                "CREATE ROLE \"Mixed \"\"Case\"\" Rôle\"",
                "ALTER ROLE \"Mixed \"\"Case\"\" Rôle\" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION"
                        + " NOBYPASSRLS CONNECTION LIMIT 3 PASSWORD 'SCRAM-SHA-256$4096:gFd5SATB3WR4oF7HmRXUbw==$1z9M:MwJW'"
                        + " VALID UNTIL '2099-01-01 00:00:00+00'",
                "CREATE ROLE app",
                "COMMENT ON ROLE app IS 'it''s app; $$ and \"q\"'",
                "ALTER ROLE app SET search_path TO 'a', 'B c', 'public'",
                "GRANT grp TO app WITH ADMIN OPTION GRANTED BY postgres");
        assertThat(script.metaCommands()).hasSize(2).allMatch(m -> m.matches("\\\\(un)?restrict \\w+"));
    }
}
