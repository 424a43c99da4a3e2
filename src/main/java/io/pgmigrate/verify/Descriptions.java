package io.pgmigrate.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares two descriptions of the same things ("kind name" -> definition), after taking out what only the
 * server's version changes in how a definition is printed.
 */
final class Descriptions {
    private Descriptions() {
    }

    static String key(String kind, String name) {
        return kind + "\u0000" + name;
    }

    static List<Difference> compare(Map<String, String> source, Map<String, String> target) {
        return compare(source, target, false);
    }

    /**
     * @param withoutMaintain one side is older than 17, which added the MAINTAIN privilege ("m") that owners hold
     *                        implicitly: leave it out of privileges on both sides
     */
    static List<Difference> compare(Map<String, String> source, Map<String, String> target, boolean withoutMaintain) {
        TreeSet<String> keys = new TreeSet<>(source.keySet());
        keys.addAll(target.keySet());
        List<Difference> out = new ArrayList<>();
        for (String key : keys) {
            String s = source.get(key);
            String t = target.get(key);
            String kind = key.substring(0, key.indexOf('\u0000'));
            if (s == null || t == null || !normalize(kind, s, withoutMaintain).equals(normalize(kind, t, withoutMaintain))) {
                out.add(new Difference(kind, key.substring(key.indexOf('\u0000') + 1), s, t));
            }
        }
        return out;
    }

    /** Whitespace, and trigger syntax that 11 renamed (EXECUTE PROCEDURE is EXECUTE FUNCTION). */
    static String normalize(String kind, String definition, boolean withoutMaintain) {
        String d = definition.replaceAll("\\s+", " ").strip();
        if (withoutMaintain) {
            d = withoutMaintain(d);
        }
        d = sortedAcls(d);
        if (kind.equals("trigger")) {
            d = d.replace("EXECUTE PROCEDURE ", "EXECUTE FUNCTION ");
        }
        if (kind.equals("view")) {
            // 16 stopped qualifying columns with their table where the view reads one table: compare without
            // qualifiers on both sides
            d = QUALIFIER.matcher(d).replaceAll("");
        }
        return d;
    }

    /** "owner=arwdDxtm/owner" -> "owner=arwdDxt/owner", in every aclitem of the text. */
    static String withoutMaintain(String definition) {
        java.util.regex.Matcher m = ACL_ITEM.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    "=" + m.group(1).replaceAll("m\\*?", "") + "/"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The items of every ACL ("acl={...}") in one order: an ACL is a set, and a restore can list its items in
     * another (pg_dump grants after creating the object, where the source's default privileges sorted them by role
     * oid). An empty ACL stays {}, and a NULL one (the default) has no "acl=" at all.
     */
    static String sortedAcls(String definition) {
        Matcher m = ACL.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> items = new ArrayList<>();
            Matcher item = ACL_ARRAY_ITEM.matcher(m.group(1));
            while (item.find()) {
                items.add(item.group());
            }
            Collections.sort(items);
            m.appendReplacement(out, Matcher.quoteReplacement("acl={" + String.join(",", items) + "}"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** An aclitem[] as array_out writes it: items bare, or quoted with backslash escapes. */
    private static final Pattern ACL = Pattern.compile(
            "(?<![^ ])acl=\\{((?:\"(?:[^\"\\\\]|\\\\.)*\"|[^\"{}])*)}");
    private static final Pattern ACL_ARRAY_ITEM = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|[^\",]+");

    /** "things." or "\"My Tab\"." before a name, outside string literals (good enough for view text). */
    private static final java.util.regex.Pattern QUALIFIER = java.util.regex.Pattern.compile(
            "(?<![\\w\"'.])(?:[a-z_][a-z0-9_$]*|\"(?:[^\"]|\"\")+\")\\.(?=[a-z_\"])");

    private static final java.util.regex.Pattern ACL_ITEM = java.util.regex.Pattern.compile("=([a-zA-Z*]*)/");
}
