package io.pgmigrate.verify;

import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objects of one database as a map from "kind name" to a definition: schemas, tables and their columns,
 * indexes, constraints, views, rules, inheritance, functions with their bodies, aggregates, operators, operator
 * families and classes (and the members users added to built-in families), casts, collations, text search parsers, templates, dictionaries and configurations,
 * triggers, sequences with their values, partition keys and bounds, extended statistics, types, extensions with
 * their owners and the privileges changed on their objects (9.6+), policies, privileges, default privileges, event triggers, foreign data
 * wrappers, servers, user mappings and foreign tables, publications and subscriptions with their options, and large
 * objects. Version-dependent parts are read only from servers that have them, and written only where they are set,
 * so a source without them compares equal to the target restored from it.
 */
final class CatalogSnapshot {
    private CatalogSnapshot() {
    }

    /**
     * The extra_float_digits both snapshots are read with, for the float constants in definitions: at 3, a server
     * before 12 prints 0.1 with 18 significant digits (0.100000000000000006), 12 and later with as few as give it
     * back exactly (0.1). So across 12 both sides print them with 15 (6 for real), as every version does at 0;
     * otherwise exactly, at 3.
     */
    static int floatDigits(int sourceVersionNum, int targetVersionNum) {
        return (sourceVersionNum >= 120000) == (targetVersionNum >= 120000) ? 3 : 0;
    }

    /**
     * The snapshot of the connection's database; the connection must be pinned ({@link TableChecksum#pin}).
     *
     * @param salt       the key of the digests of what can hold a password (user mappings' options, subscriptions'
     *                   connection strings): the same for both servers, never written anywhere
     * @param unreadable the sequences whose value this server cannot read (a standby's unlogged ones)
     * @param superuser  the login is a superuser: only one may read a subscription's connection string, so for
     *                   another each subscription is "not compared", a difference
     */
    static Map<String, String> of(Connection c, int versionNum, int floatDigits, String salt, Unreadable unreadable,
                                  boolean superuser) throws SQLException {
        // Read with an empty search_path, so each side names every object outside pg_catalog with its schema. With
        // the session's, a name is left unqualified where it is visible, which depends on the version: pgcrypto's
        // public.gen_random_uuid() is visible on 12 and hidden by 13's pg_catalog.gen_random_uuid(), so a column
        // default calling it read "gen_random_uuid()" on 12 and "public.gen_random_uuid()" on the 17 it was restored
        // to (so a user type named jsonpath from 9.6, and the search_path a side's own role sets).
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path = ''");
        }
        try {
            return snapshot(c, versionNum, floatDigits, salt, unreadable, superuser);
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("RESET search_path"); // the connection goes back to the pool
            }
        }
    }

    private static Map<String, String> snapshot(Connection c, int versionNum, int floatDigits, String salt,
                                                Unreadable unreadable, boolean superuser) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('extra_float_digits', ?, false)")) {
            ps.setString(1, Integer.toString(floatDigits));
            ps.execute();
        }
        Map<String, String> out = new TreeMap<>();
        read(c, Sql.get("schema_catalog"), out, salt);
        read(c, Sql.get("builtin_family_members"), out);
        if (versionNum >= 90600) {
            read(c, Sql.joined("extension_member_objects", "schema_extension_privileges"), out);
        }
        if (versionNum >= 100000) {
            read(c, Sql.get("schema_partitions"), out);
            read(c, Sql.get("schema_statistics"), out);
            read(c, Sql.get("schema_publications"), out);
            if (superuser) {
                read(c, Sql.get("schema_subscriptions"), out, salt);
            } else {
                read(c, Sql.get("subscription_names"), out);
            }
        }
        if (versionNum >= 140000) {
            read(c, Sql.get("schema_function_bodies"), out);
        }
        if (versionNum >= 150000) {
            read(c, Sql.get("schema_publication_filters"), out);
        }
        read(c, Sql.get("large_objects"), out);
        sequences(c, out, unreadable);
        return out;
    }

    /** Adds the (kind, name, definition) rows of {@code sql}, run with {@code parameters}. */
    static void read(Connection c, String sql, Map<String, String> out, String... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Descriptions.key(rs.getString(1), rs.getString(2)), rs.getString(3));
                }
            }
        }
    }

    private static void sequences(Connection c, Map<String, String> out, Unreadable unreadable)
            throws SQLException {
        for (String seq : Sql.strings(c, "schema_sequences")) {
            String value;
            if (unreadable.contains(seq)) {
                value = unreadable.notCompared("sequences") + ";"; // its parameters are in the catalog
            } else {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + seq)) {
                    rs.next();
                    value = "last_value=" + rs.getLong(1) + " is_called=" + rs.getBoolean(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT start_value, minimum_value, maximum_value, "
                    + "increment, cycle_option FROM pg_sequence_parameters(?::regclass)")) {
                ps.setString(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    value += " start=" + rs.getLong(1) + " min=" + rs.getLong(2) + " max=" + rs.getLong(3)
                            + " increment=" + rs.getLong(4) + " cycle=" + rs.getBoolean(5);
                }
            }
            out.put(Descriptions.key("sequence value", seq), value);
        }
    }
}
