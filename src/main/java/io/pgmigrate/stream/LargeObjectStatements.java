package io.pgmigrate.stream;

import io.pgmigrate.postgres.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The statements that give a large object created on the target ({@code lo_from_bytea(oid, ...)}, so owned by the
 * connecting role, with no ACL) the source's owner, comment and privileges. Privileges are rebuilt as pg_dump does:
 * the owner's default privileges are revoked first, then every item of the source's ACL is granted in the ACL's
 * order, each by its grantor (with {@code SET ROLE} when the grantor is not the owner), so the target's ACL is the
 * source's item for item, grant options included.
 */
final class LargeObjectStatements {
    private static final Set<String> PRIVILEGES = Set.of("SELECT", "UPDATE");

    private LargeObjectStatements() {
    }

    static List<String> ownerAndComment(long oid, String owner, String comment) {
        List<String> out = new ArrayList<>(2);
        out.add("ALTER LARGE OBJECT " + oid + " OWNER TO " + Identifiers.quote(owner));
        if (comment != null) {
            out.add("COMMENT ON LARGE OBJECT " + oid + " IS " + Identifiers.literal(comment));
        }
        return out;
    }

    /** Before the grants of an object whose ACL is not NULL (the default): no privilege left, not even the owner's. */
    static String revokeDefaults(long oid, String owner) {
        return "REVOKE ALL ON LARGE OBJECT " + oid + " FROM " + Identifiers.quote(owner);
    }

    /** One privilege of an ACL item; {@code grantee} null is PUBLIC. */
    static List<String> grant(long oid, String owner, String grantor, String grantee, String privilege,
                              boolean grantable) {
        if (!PRIVILEGES.contains(privilege)) {
            throw new IllegalArgumentException("not a large object privilege: " + privilege);
        }
        String grant = "GRANT " + privilege + " ON LARGE OBJECT " + oid + " TO "
                + (grantee == null ? "PUBLIC" : Identifiers.quote(grantee)) + (grantable ? " WITH GRANT OPTION" : "");
        if (grantor.equals(owner)) {
            return List.of(grant);
        }
        return List.of("SET ROLE " + Identifiers.quote(grantor), grant, "RESET ROLE");
    }
}
