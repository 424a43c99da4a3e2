package io.pgmigrate.pipeline;

import io.pgmigrate.postgres.Identifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * Before any change: the members users added to built-in operator families, or to an extension's ({@code ALTER
 * OPERATOR FAMILY pg_catalog.integer_ops USING btree ADD ...}, sql/builtin_family_members.sql). pg_dump leaves those
 * families out, and these members with them, so the target will lack them: a warning names them, for the DBA to add
 * them again after the run (the verification reports each such family until then).
 */
final class BuiltinFamilyMembers {
    private static final int NAMED = 3;

    private BuiltinFamilyMembers() {
    }

    /** The warning, if the selected databases hold such members. */
    static List<String> warnings(SourceSurvey survey) {
        List<String> families = new ArrayList<>();
        survey.databases().forEach((name, db) -> db.lostFamilyMembers()
                .forEach(f -> families.add(Identifiers.quote(name) + ": " + f)));
        if (families.isEmpty()) {
            return List.of();
        }
        return List.of("pg_dump does not carry the members users added to built-in or extensions' operator families "
                + "(ALTER OPERATOR FAMILY pg_catalog.... ADD), so the target will lack those of " + families.size() + " famil"
                + (families.size() == 1 ? "y" : "ies") + ": " + Names.firstOf(families, NAMED) + "; add them "
                + "again on the target after the run (the verification reports each such family until then)");
    }
}
