package io.pgmigrate.testbed;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.Identifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the zoo looks like on one server, object kind by object kind, as lines of text that must be equal on the
 * source and the target: the test's own checks until {@code pg-migrate verify} exists. Every query runs on 9.6 to 18;
 * the kinds a version lacks are read only when the zoo's source version has them ({@code sourceVersionNum}), on
 * both sides alike. Session settings are pinned so a value prints the same on every version, and floats are
 * compared by their binary form ({@code float8send}), even nested in the zoo's types, since 9.6 and 12+ print them
 * differently.
 */
public final class ZooFingerprint {
    private static final List<String> PINNED = List.of("SET extra_float_digits = 3", "SET DateStyle = 'ISO, YMD'",
            "SET IntervalStyle = 'postgres'", "SET TimeZone = 'UTC'", "SET bytea_output = 'hex'",
            "SET search_path = public");
    private static final String ZOO_SCHEMAS = "n.nspname LIKE 'zoo%'";
    private static final String SORTED_ACL = "array_to_string(ARRAY(SELECT unnest(%s)::text ORDER BY 1), ' ')";
    /**
     * An ACL, with the owner's own default entry written as "owner default": that entry grows with the version
     * (PostgreSQL 17 gives a table's owner MAINTAIN: arwdDxt becomes arwdDxtm) and is not a difference.
     */
    private static final String ACL_VS_DEFAULT = "array_to_string(ARRAY(SELECT CASE WHEN a = ANY(acldefault(%2$s, "
            + "%3$s)) THEN 'owner default' ELSE a::text END FROM unnest(%1$s) a ORDER BY 1), ' ')";

    private ZooFingerprint() {
    }

    /** Object kind to its lines, for the zoo database on this server. */
    public static Map<String, List<String>> of(EmbeddedServer server, String database, int sourceVersionNum)
            throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            for (String set : PINNED) {
                st.execute(set);
            }
            boolean v10 = sourceVersionNum >= 100000;
            out.put("extensions", lines(st, "SELECT extname FROM pg_extension ORDER BY 1"));
            out.put("extension owners", lines(st, "SELECT extname || ' ' || pg_get_userbyid(extowner) || ' '"
                    + " || extnamespace::regnamespace::text FROM pg_extension ORDER BY 1"));
            out.put("large objects", lines(st, "SELECT l.oid::text || ' owner=' || pg_get_userbyid(l.lomowner) "
                    + "|| ' acl=' || coalesce(" + SORTED_ACL.formatted("l.lomacl") + ", '-') || ' md5=' "
                    + "|| md5(lo_get(l.oid)) FROM pg_largeobject_metadata l ORDER BY l.oid"));
            out.put("sequences", sequences(st));
            out.put("relations", lines(st, "SELECT n.nspname || '.' || c.relname || ' kind=' || c.relkind::text "
                    + "|| ' persistence=' || c.relpersistence::text || ' rls=' || c.relrowsecurity || ' force=' "
                    + "|| c.relforcerowsecurity || ' populated=' || c.relispopulated || ' owner=' "
                    + "|| pg_get_userbyid(c.relowner) || ' acl=' || coalesce(" + ACL_VS_DEFAULT.formatted("c.relacl",
                    "CASE WHEN c.relkind = 'S' THEN 's'::\"char\" ELSE 'r'::\"char\" END", "c.relowner")
                    + ", '-') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + ZOO_SCHEMAS
                    + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1"));
            out.put("column grants", lines(st, "SELECT a.attrelid::regclass || '.' || a.attname || ' ' || "
                    + SORTED_ACL.formatted("a.attacl") + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + ZOO_SCHEMAS
                    + " AND a.attacl IS NOT NULL ORDER BY 1"));
            out.put("rows", rows(st));
            out.put("collated orders", collatedOrders(st));
            out.put("inheritance", lines(st, "SELECT i.inhrelid::regclass || ' of ' || i.inhparent::regclass"
                    + (v10 ? " || ' ' || coalesce(pg_get_expr(c.relpartbound, c.oid), 'no bound')" : "")
                    + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid ORDER BY 1"));
            out.put("check constraints", lines(st, "SELECT conrelid::regclass || ' ' || conname || ' ' "
                    + "|| pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c' AND conrelid <> 0 "
                    + "ORDER BY 1"));
            out.put("enums", lines(st, "SELECT t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY "
                    + "e.enumsortorder) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname "
                    + "ORDER BY 1"));
            out.put("domains", lines(st, "SELECT t.typname || ' ' || format_type(t.typbasetype, t.typtypmod) "
                    + "|| ' notnull=' || t.typnotnull || ' ' || coalesce((SELECT string_agg(conname || ': ' "
                    + "|| pg_get_constraintdef(oid), ', ' ORDER BY conname) FROM pg_constraint "
                    + "WHERE contypid = t.oid), '') FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                    + "WHERE t.typtype = 'd' AND " + ZOO_SCHEMAS + " ORDER BY 1"));
            out.put("ranges", lines(st, "SELECT r.rngtypid::regtype || ' of ' || r.rngsubtype::regtype || ' diff='"
                    + " || r.rngsubdiff::regproc FROM pg_range r JOIN pg_type t ON t.oid = r.rngtypid "
                    + "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " + ZOO_SCHEMAS + " ORDER BY 1"));
            out.put("composites", lines(st, "SELECT t.typname || ' (' || string_agg(a.attname || ' ' "
                    + "|| format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) || ')' FROM pg_type t "
                    + "JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' "
                    + "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
                    + "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " + ZOO_SCHEMAS
                    + " GROUP BY t.typname ORDER BY 1"));
            out.put("policies", lines(st, "SELECT p.polrelid::regclass || ' ' || p.polname || ' cmd=' || p.polcmd::text"
                    + (v10 ? " || ' permissive=' || p.polpermissive" : "")
                    + " || ' roles=' || array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE "
                    + "pg_get_userbyid(r) END FROM unnest(p.polroles) r ORDER BY 1), ',') "
                    + "|| ' using=' || coalesce(pg_get_expr(p.polqual, p.polrelid), '-') "
                    + "|| ' check=' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '-') "
                    + "FROM pg_policy p ORDER BY 1"));
            out.put("event triggers", lines(st, "SELECT evtname || ' on ' || evtevent || ' enabled=' || evtenabled::text "
                    + "|| ' runs ' || evtfoid::regproc || ' owner=' || pg_get_userbyid(evtowner) "
                    + "FROM pg_event_trigger ORDER BY 1"));
            out.put("comments", lines(st, "SELECT o.type || ' ' || o.identity || ': ' || d.description "
                    + "FROM pg_description d, pg_identify_object(d.classoid, d.objoid, d.objsubid) o "
                    + "WHERE d.objoid >= 16384 AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = d.classoid "
                    + "AND x.objid = d.objoid AND x.deptype = 'e') ORDER BY 1"));
            out.put("default privileges", lines(st, "SELECT pg_get_userbyid(a.defaclrole) || ' in ' "
                    + "|| coalesce(n.nspname, '(all schemas)') || ' on ' || a.defaclobjtype::text || ': ' "
                    + "|| " + SORTED_ACL.formatted("a.defaclacl") + " FROM pg_default_acl a "
                    + "LEFT JOIN pg_namespace n ON n.oid = a.defaclnamespace ORDER BY 1"));
            if (v10) {
                out.put("identity columns", lines(st, "SELECT attrelid::regclass || '.' || attname || ' ' "
                        + "|| attidentity::text FROM pg_attribute WHERE attidentity <> '' ORDER BY 1"));
                out.put("publications", lines(st, "SELECT pubname || ' all=' || puballtables || ' ins=' || pubinsert"
                        + " || ' upd=' || pubupdate || ' del=' || pubdelete || ' owner=' || pg_get_userbyid(pubowner)"
                        + " FROM pg_publication ORDER BY 1"));
                out.put("publication tables", lines(st, "SELECT p.pubname || ' ' || r.prrelid::regclass"
                        + (sourceVersionNum >= 150000 ? " || ' where=' || coalesce(pg_get_expr(r.prqual, r.prrelid),"
                        + " '-') || ' cols=' || coalesce(r.prattrs::text, '-')" : "")
                        + " FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid ORDER BY 1"));
                out.put("subscriptions", lines(st, "SELECT subname || ' enabled=' || subenabled || ' owner='"
                        + " || pg_get_userbyid(subowner) || ' conninfo=' || subconninfo || ' slot='"
                        + " || coalesce(subslotname::text, '-') || ' publications=' || subpublications::text"
                        + (sourceVersionNum >= 140000 ? " || ' binary=' || subbinary || ' streaming='"
                        + " || left(substream::text, 1)" : "")
                        + (sourceVersionNum >= 150000 ? " || ' disable_on_error=' || subdisableonerr" : "")
                        + " FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database "
                        + "WHERE datname = current_database()) ORDER BY 1"));
                out.put("subscription comments", lines(st, "SELECT s.subname || ': ' || d.description "
                        + "FROM pg_shdescription d JOIN pg_subscription s ON s.oid = d.objoid "
                        + "AND d.classoid = 'pg_subscription'::regclass ORDER BY 1"));
            }
            if (sourceVersionNum >= 120000) {
                out.put("generated columns", lines(st, "SELECT a.attrelid::regclass || '.' || a.attname || ' ' "
                        + "|| a.attgenerated::text || ' ' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
                        + "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                        + "WHERE a.attgenerated <> '' ORDER BY 1"));
            }
            if (sourceVersionNum >= 150000) {
                out.put("publication schemas", lines(st, "SELECT p.pubname || ' ' || n.nspname "
                        + "FROM pg_publication_namespace pn JOIN pg_publication p ON p.oid = pn.pnpubid "
                        + "JOIN pg_namespace n ON n.oid = pn.pnnspid ORDER BY 1"));
            }
        }
        return out;
    }

    /** Each sequence of the zoo with its position. */
    private static List<String> sequences(Statement st) throws SQLException {
        List<String> names = lines(st, "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND " + ZOO_SCHEMAS
                + " ORDER BY 1");
        List<String> out = new ArrayList<>();
        for (String seq : names) {
            out.add(seq + " " + one(st, "SELECT 'last_value=' || last_value || ' is_called=' || is_called FROM " + seq));
        }
        return out;
    }

    /** Every row of every table of the zoo schemas (and populated materialized view), one text line per row. */
    private static List<String> rows(Statement st) throws SQLException {
        List<String> relations = lines(st, "SELECT c.oid::text FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE " + ZOO_SCHEMAS + " AND (c.relkind = 'r' OR c.relkind = 'm' "
                + "AND c.relispopulated) ORDER BY n.nspname, c.relname");
        List<String> out = new ArrayList<>();
        for (String oid : relations) {
            String name = one(st, "SELECT " + oid + "::regclass::text");
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                    + "WHERE attrelid = " + oid + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
                while (rs.next()) {
                    columns.add(value(Identifiers.quote(rs.getString(1)), rs.getString(2)));
                }
            }
            List<String> rows = lines(st, "SELECT CASE WHEN length(x) > 300 THEN left(x, 200) || '... md5 ' || md5(x)"
                    + " ELSE x END FROM (SELECT ARRAY[" + String.join(", ", columns) + "]::text AS x FROM ONLY "
                    + name + ") s");
            rows.sort(null);
            rows.forEach(r -> out.add(name + " " + r));
            out.add(name + ": " + rows.size() + " rows");
        }
        return out;
    }

    /**
     * The values of each zoo table column that has a zoo collation, in that collation's order (rows are compared
     * sorted as text): a restored collation must sort as the source's did.
     */
    private static List<String> collatedOrders(Statement st) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String sql : lines(st, "SELECT format('SELECT %L || '': '' || string_agg(%I, '' '' ORDER BY %I) "
                + "FROM ONLY %s', c.oid::regclass || '.' || a.attname, a.attname, a.attname, c.oid::regclass) "
                + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_collation co "
                + "ON co.oid = a.attcollation JOIN pg_namespace n ON n.oid = co.collnamespace WHERE " + ZOO_SCHEMAS
                + " AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1")) {
            out.add(one(st, sql));
        }
        return out;
    }

    /**
     * A column's value as text, with every float in it in binary: 9.6-11 print 0.1 as 0.100000000000000006, 12+ as
     * 0.1. Written out for each type of the zoo that holds floats (the zoo's own oracle, apart from the tool's
     * checksum expressions); NULL is kept apart from an empty value.
     */
    private static String value(String c, String type) {
        return switch (type) {
            case "double precision", "zoo.float_dom" -> hex(c);
            case "real" -> "encode(float4send(" + c + "), 'hex')";
            case "double precision[]" -> array(c, hex("e"));
            case "zoo.point3" -> point3(c);
            case "zoo.point3[]" -> array(c, point3("e"));
            case "zoo.\"Odd \"\"Pair\"\".v\"" -> "format('%s %s %s', num_nulls(" + c + "), quote_nullable(encode("
                    + "float4send((" + c + ").\"x \"\"q\"\" y\"), 'hex')), " + point3("(" + c + ").\"Ünï.z\"") + ")";
            case "point" -> "format('%s %s %s', num_nulls(" + c + "), " + hex("(" + c + ")[0]") + ", "
                    + hex("(" + c + ")[1]") + ")";
            case "box" -> "format('%s %s %s %s %s', num_nulls(" + c + "), " + hex("((" + c + ")[0])[0]") + ", "
                    + hex("((" + c + ")[0])[1]") + ", " + hex("((" + c + ")[1])[0]") + ", " + hex("((" + c + ")[1])[1]")
                    + ")";
            case "zoo.floatrange" -> "format('%s %s %s%s,%s%s', num_nulls(" + c + "), isempty(" + c + "), lower_inc("
                    + c + "), " + hex("lower(" + c + ")") + ", " + hex("upper(" + c + ")") + ", upper_inc(" + c + "))";
            default -> c + "::text";
        };
    }

    private static String point3(String p) {
        return "format('%s(%s,%s,%s,%s)', num_nulls(" + p + "), " + hex("(" + p + ").x") + ", " + hex("(" + p + ").y")
                + ", " + hex("(" + p + ").z") + ", quote_nullable((" + p + ").label))";
    }

    private static String hex(String floatValue) {
        return "quote_nullable(encode(float8send((" + floatValue + ")::float8), 'hex'))";
    }

    /** {@code element} reads the element as {@code e}: not a field name of the zoo's types, so it names the row. */
    private static String array(String c, String element) {
        return "format('%s %s %s', num_nulls(" + c + "), array_dims(" + c + "), (SELECT string_agg(" + element
                + ", ';') FROM unnest(" + c + ") e))";
    }

    static List<String> lines(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
