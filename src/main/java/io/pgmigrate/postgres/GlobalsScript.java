package io.pgmigrate.postgres;

import io.pgmigrate.MigrationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code pg_dumpall --globals-only} (or {@code --roles-only}), as statements to replay on the target
 * through JDBC.
 *
 * <p>The target's own connecting role is never touched: replayed as-is, {@code ALTER ROLE postgres WITH ... PASSWORD
 * '...'} would give the target superuser the source's password (and everything that logs in with the target's
 * password afterwards would fail). {@link #statementsFor(String)} therefore leaves out {@code CREATE ROLE},
 * {@code ALTER ROLE} (attributes, password, {@code SET}, {@code IN DATABASE ... SET}, {@code RENAME}) and
 * {@code DROP ROLE} of that role; {@code COMMENT ON ROLE} and grants stay. Role names are compared as the server
 * compares them (quoted names exactly, unquoted ones folded to lower case).
 *
 * <p>It also leaves out every {@code ALTER ROLE ... IN DATABASE ...}: pg_dumpall 10 and older write them into
 * {@code --globals-only} for every database, but with the globals they would run before their database exists on the
 * target (and reach a target database of that name that the run does not migrate). They belong to the database:
 * {@link DatabaseProperties} applies them from the source's catalog once a migrated database is restored.
 *
 * <p>{@link #parse} drops {@code SET client_encoding}: the script is already decoded text, and pgjdbc only works with
 * client_encoding UTF8 (it closes the connection when the server reports another one). Run pg_dumpall with
 * {@code PGCLIENTENCODING=UTF8} and decode its output as UTF-8.
 */
public final class GlobalsScript {
    static final String COMPLETE_MARKER = "-- PostgreSQL database cluster dump complete";
    private static final Logger log = LoggerFactory.getLogger(GlobalsScript.class);
    private static final int DESCRIPTION_LENGTH = 120;
    private static final Set<String> CURRENT_ROLE_KEYWORDS = Set.of("current_user", "session_user", "current_role");

    /** A membership grant ending with its grantor, quoted or not: "GRANT a TO b ... GRANTED BY c;". */
    private static final Pattern GRANTOR = Pattern.compile(
            "(?is)^(\\s*GRANT\\s.*?)\\s+GRANTED\\s+BY\\s+(\"(?:[^\"]|\"\")*\"|[^\\s;\"]+)\\s*;?\\s*$");

    private final List<String> statements;

    private GlobalsScript(List<String> statements) {
        this.statements = List.copyOf(statements);
    }

    /**
     * Splits pg_dumpall output into statements, dropping its psql meta-command lines (restrict / unrestrict KEY).
     *
     * @throws MigrationException (environment) when the output is incomplete, cannot be split, or is a full dump
     *                            (it holds {@code \connect}: not {@code --globals-only} output)
     */
    public static GlobalsScript parse(String pgDumpallOutput) {
        Objects.requireNonNull(pgDumpallOutput, "pgDumpallOutput");
        if (!pgDumpallOutput.contains(COMPLETE_MARKER)) {
            throw MigrationException.environment("pg_dumpall output is incomplete (no \"" + COMPLETE_MARKER.substring(3)
                    + "\" line): pg_dumpall probably failed or was interrupted");
        }
        SqlScript script = SqlScript.parse(pgDumpallOutput);
        for (String meta : script.metaCommands()) {
            String command = meta.split("\\s+", 2)[0];
            if (command.equals("\\connect") || command.equals("\\c")) {
                throw MigrationException.environment("pg_dumpall output holds \\connect: it is a full dump, not the"
                        + " --globals-only output expected here");
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : script.statements()) {
            if (setsClientEncoding(statement)) {
                log.debug("pg_dumpall output: leaving out {} (pgjdbc always talks UTF-8)", describe(statement));
            } else {
                statements.add(statement);
            }
        }
        return new GlobalsScript(statements);
    }

    /**
     * Every statement of the script but {@code SET client_encoding}, in order (passwords included: do not log
     * them, see {@link #describe}).
     */
    public List<String> statements() {
        return statements;
    }

    /**
     * This script without the statements that would create, alter or drop {@code role} (as {@link #skipped} lists
     * them): for the target's bootstrap superuser, when the tool logs in as another role.
     */
    public GlobalsScript leavingOut(String role) {
        return new GlobalsScript(statements.stream().filter(s -> !touchesRole(s, role)).toList());
    }

    /** As {@link #statementsFor(String, int, int)}, grantors kept. */
    public List<String> statementsFor(String targetUser) {
        return statementsFor(targetUser, 0, 0);
    }

    /**
     * The statements to run on the target whose connecting role is {@code targetUser} (the role name, unquoted), from
     * a source of major version {@code sourceMajor} to a target of {@code targetMajor}. From a source before 16 into
     * a 16 or later target, role memberships lose
     * their grantor, as pg_dumpall 16 and later write them: before 16 a role with CREATEROLE could grant any role
     * without holding ADMIN on it, and 16 refuses such a grantor (the membership would be lost).
     */
    public List<String> statementsFor(String targetUser, int sourceMajor, int targetMajor) {
        return statementsFor(targetUser, sourceMajor, targetMajor, null, null);
    }

    /**
     * As {@link #statementsFor(String, int, int)}, from a source whose bootstrap superuser (initdb's role, oid 10) is
     * {@code sourceBootstrap} to a target whose own is {@code targetBootstrap}. From 16 on, a superuser's grant is
     * recorded as made by the bootstrap superuser, and a GRANTED BY naming another superuser is refused ("The grantor
     * must have the ADMIN option"): where the names differ, a 16+ target gets the source bootstrap superuser's grants
     * without their grantor, which the target records as its own bootstrap superuser.
     */
    public List<String> statementsFor(String targetUser, int sourceMajor, int targetMajor, String sourceBootstrap,
                                      String targetBootstrap) {
        Objects.requireNonNull(targetUser, "targetUser");
        boolean dropGrantors = sourceMajor > 0 && sourceMajor < 16 && targetMajor >= 16;
        String dropGrantor = targetMajor >= 16 && sourceBootstrap != null
                && !sourceBootstrap.equals(targetBootstrap) ? sourceBootstrap : null;
        return statements.stream().filter(s -> !touchesRole(s, targetUser) && !inDatabase(s))
                .map(s -> dropGrantors || dropGrantor != null && grantedBy(s, dropGrantor) ? withoutGrantor(s) : s)
                .toList();
    }

    /** The attributes only a superuser may name, even to deny them: NOSUPERUSER, NOREPLICATION, NOBYPASSRLS. */
    private static final Pattern DENIED_SUPERUSER_ATTRIBUTE = Pattern.compile(
            "(?i)\\s+NO(?:SUPERUSER|REPLICATION|BYPASSRLS)(?=\\s|;|$)");

    /**
     * {@code statement} as a target login that is not a superuser can run it: pg_dumpall's {@code ALTER ROLE ... WITH}
     * without NOSUPERUSER, NOREPLICATION and NOBYPASSRLS (refused even though they change nothing: "must be superuser
     * to alter superuser roles or change superuser attribute"; roles that have these attributes are refused before
     * any change), and a membership grant without GRANTED BY (only a superuser may name another grantor before 16,
     * and from 16 only a role with that grantor's privileges), so the login is its grantor.
     */
    public static String asNonSuperuser(String statement) {
        Words words = new Words(statement);
        if (words.nextIs("alter") && (words.nextIs("role") || words.nextIs("user"))) {
            try {
                words.identifier();
            } catch (IllegalArgumentException notARole) {
                return statement;
            }
            if (!words.nextIs("with")) {
                return statement;
            }
            // the attributes come before PASSWORD, whose literal must not be touched
            int password = statement.toLowerCase(Locale.ROOT).indexOf(" password ", words.pos);
            int end = password < 0 ? statement.length() : password;
            return statement.substring(0, words.pos)
                    + DENIED_SUPERUSER_ATTRIBUTE.matcher(statement.substring(words.pos, end)).replaceAll("")
                    + statement.substring(end);
        }
        return withoutGrantor(statement);
    }

    /** Whether the statement is a membership grant whose GRANTED BY names {@code role}. */
    private static boolean grantedBy(String statement, String role) {
        Matcher m = GRANTOR.matcher(statement);
        return m.matches() && Identifiers.parseLeading(m.group(2)).name().equals(role);
    }

    /**
     * The role settings in one database that {@link #statementsFor} leaves out since they come with their database
     * (see the class comment), those of the target's own role aside (in {@link #skipped}), described for the log.
     */
    public List<String> databaseRoleSettings(String targetUser) {
        return statements.stream().filter(s -> inDatabase(s) && !touchesRole(s, targetUser))
                .map(GlobalsScript::describe).toList();
    }

    static String withoutGrantor(String statement) {
        Matcher m = GRANTOR.matcher(statement);
        return m.matches() ? m.group(1) : statement;
    }

    /**
     * The statements {@link #statementsFor(String)} leaves out (they concern the target's own role), as one-line
     * descriptions without passwords (see {@link #describe}), for the log.
     */
    public List<String> skipped(String targetUser) {
        Objects.requireNonNull(targetUser, "targetUser");
        return statements.stream().filter(s -> touchesRole(s, targetUser)).map(GlobalsScript::describe).toList();
    }

    /**
     * A statement for messages: whitespace collapsed, every {@code PASSWORD '...'} literal replaced by
     * {@code '***'}, cut to about 120 characters.
     */
    public static String describe(String statement) {
        String oneLine = redactPasswords(statement).strip().replaceAll("\\s+", " ");
        return oneLine.length() <= DESCRIPTION_LENGTH ? oneLine : oneLine.substring(0, DESCRIPTION_LENGTH - 3) + "...";
    }

    /** Replaces the literal after every {@code PASSWORD} keyword by {@code '***'} (an unclosed one up to the end). */
    public static String redactPasswords(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int copied = 0;
        for (PasswordLiteral literal : passwordLiterals(sql)) {
            out.append(sql, copied, literal.start()).append("'***'");
            copied = literal.end();
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    /** The contents of the password literals of a statement (to scrub them from server messages too). */
    static List<String> passwordValues(String sql) {
        return passwordLiterals(sql).stream().map(PasswordLiteral::value).filter(v -> !v.isEmpty()).toList();
    }

    private record PasswordLiteral(int start, int end, String value) {
    }

    private static List<PasswordLiteral> passwordLiterals(String sql) {
        List<PasswordLiteral> found = new ArrayList<>();
        String lower = sql.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lower.indexOf("password", from);
            if (at < 0) {
                return found;
            }
            from = at + "password".length();
            boolean wordStart = at == 0 || !isWordChar(lower.charAt(at - 1));
            if (!wordStart || (from < lower.length() && isWordChar(lower.charAt(from)))) {
                continue;
            }
            int i = from;
            while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
                i++;
            }
            boolean escapes = false;
            int start = i;
            if (i + 1 < sql.length() && (sql.charAt(i) == 'E' || sql.charAt(i) == 'e') && sql.charAt(i + 1) == '\'') {
                escapes = true;
                i++;
            }
            if (i >= sql.length() || sql.charAt(i) != '\'') {
                continue; // PASSWORD NULL, or the word elsewhere
            }
            int end = endOfLiteral(sql, i, escapes);
            int valueEnd = end > i + 1 && end <= sql.length() && sql.charAt(end - 1) == '\'' ? end - 1 : end;
            found.add(new PasswordLiteral(start, end, sql.substring(i + 1, Math.max(i + 1, valueEnd))));
            from = end;
        }
    }

    /** Index just after the closing quote, or the length of the text when the literal is not closed. */
    private static int endOfLiteral(String sql, int open, boolean escapes) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && escapes) {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static boolean setsClientEncoding(String statement) {
        Words words = new Words(statement);
        if (!words.nextIs("set")) {
            return false;
        }
        if (words.peekIs("session")) {
            words.nextIs("session");
        }
        return words.nextIs("client_encoding");
    }

    /** CREATE|ALTER|DROP ROLE|USER [IF EXISTS] name ...: does name stand for the target's connecting role? */
    private static boolean touchesRole(String statement, String targetUser) {
        Words words = new Words(statement);
        boolean drop = false;
        if (words.nextIs("drop")) {
            drop = true;
        } else if (!words.nextIs("create") && !words.nextIs("alter")) {
            return false;
        }
        if (!words.nextIs("role") && !words.nextIs("user")) {
            return false;
        }
        if (words.peekAre("mapping", "for")) {
            return false; // CREATE|ALTER|DROP USER MAPPING FOR ...: not a role statement
        }
        if (drop && words.peekIs("if")) {
            words.nextIs("if");
            words.nextIs("exists");
        }
        Identifiers.Leading role;
        try {
            role = words.identifier();
        } catch (IllegalArgumentException e) {
            throw MigrationException.environment("cannot read the role name in pg_dumpall statement ["
                    + describe(statement) + "]: " + e.getMessage());
        }
        if (!role.quoted() && CURRENT_ROLE_KEYWORDS.contains(role.name())) {
            return true; // ALTER ROLE CURRENT_USER ... is the connecting role whatever its name
        }
        return role.name().equals(targetUser);
    }

    /** ALTER ROLE|USER name IN DATABASE ...: a role's setting in one database. */
    private static boolean inDatabase(String statement) {
        Words words = new Words(statement);
        if (!words.nextIs("alter") || !(words.nextIs("role") || words.nextIs("user"))) {
            return false;
        }
        try {
            words.identifier();
        } catch (IllegalArgumentException notARole) {
            return false;
        }
        return words.nextIs("in") && words.nextIs("database");
    }

    /** Reads the leading words (keywords and identifiers) of a statement that has no comments. */
    private static final class Words {
        private final String text;
        private int pos;

        Words(String text) {
            this.text = text;
        }

        boolean peekIs(String keyword) {
            return peekAre(keyword);
        }

        /** Whether the next words are these keywords; never moves. */
        boolean peekAre(String... keywords) {
            int saved = pos;
            boolean are = true;
            for (String keyword : keywords) {
                are = are && nextIs(keyword);
            }
            pos = saved;
            return are;
        }

        /** Consumes the next word when it is the (unquoted) keyword; leaves the position alone otherwise. */
        boolean nextIs(String keyword) {
            int saved = pos;
            skipBlanks();
            if (pos >= text.length() || text.charAt(pos) == '"') {
                pos = saved;
                return false;
            }
            try {
                Identifiers.Leading word = Identifiers.parseLeading(text.substring(pos));
                if (word.name().equals(keyword)) {
                    pos += word.end();
                    return true;
                }
            } catch (IllegalArgumentException notAWord) {
                // fall through
            }
            pos = saved;
            return false;
        }

        Identifiers.Leading identifier() {
            skipBlanks();
            Identifiers.Leading id = Identifiers.parseLeading(text.substring(pos));
            int after = pos + id.end();
            if (after < text.length() && !Character.isWhitespace(text.charAt(after)) && text.charAt(after) != ',') {
                throw new IllegalArgumentException("unexpected character after the role name");
            }
            pos = after;
            return id;
        }

        private void skipBlanks() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
