package io.pgmigrate.postgres;

import java.util.List;

/**
 * What the delayed phase takes off the target and puts back, read from the source before any of it is dropped
 * and kept in the state folder, so a crash between dropping and re-creating loses nothing.
 *
 * @param indexes     secondary indexes of the delayed tables: dropped before the load, re-created after it
 * @param foreignKeys foreign keys of other tables into the delayed tables: left out of the regular restore (they
 *                    would fail to validate against an empty table) and added after the load
 * @param triggers    triggers of the delayed tables that are not simply enabled: the load enables every trigger of
 *                    the tables it loads, so their state is given back after it
 * @param matviews    materialized views populated on the source that read the delayed tables (directly or through
 *                    other views), in the order to refresh them: the regular restore refreshed them over empty tables
 */
public record DelayedDdl(List<Index> indexes, List<ForeignKey> foreignKeys, List<TriggerState> triggers,
                         List<MatView> matviews) {

    public record Index(String tableSchema, String tableName, String schema, String name, String definition) {
    }

    /** @param comment the comment on the key, or null (also when read by an earlier version) */
    public record ForeignKey(long oid, String tableSchema, String tableName, String name, String definition,
                             String comment) {
        public String addStatement() {
            return "ALTER TABLE " + table() + " ADD CONSTRAINT " + Identifiers.quote(name) + " " + definition;
        }

        /** The COMMENT statement, or null. */
        public String commentStatement() {
            return comment == null ? null : "COMMENT ON CONSTRAINT " + Identifiers.quote(name) + " ON " + table()
                    + " IS " + Identifiers.literal(comment);
        }

        /** How pg_restore's list names the key's comment: "COMMENT schema CONSTRAINT name ON table", unquoted. */
        public String commentListTag() {
            return "COMMENT " + tableSchema + " CONSTRAINT " + name + " ON " + tableName + " ";
        }

        private String table() {
            return Identifiers.quote(tableSchema) + "." + Identifiers.quote(tableName);
        }
    }

    /** A trigger's {@code pg_trigger.tgenabled} other than enabled: D (disabled), R (replica) or A (always). */
    public record TriggerState(String tableSchema, String tableName, String name, String enabled) {
        public String statement() {
            String action = switch (enabled) {
                case "D" -> "DISABLE";
                case "R" -> "ENABLE REPLICA";
                case "A" -> "ENABLE ALWAYS";
                default -> throw new IllegalArgumentException("trigger state " + enabled);
            };
            return "ALTER TABLE " + Identifiers.quote(tableSchema) + "." + Identifiers.quote(tableName) + " "
                    + action + " TRIGGER " + Identifiers.quote(name);
        }
    }

    /** A materialized view to refresh once the delayed data is in. */
    public record MatView(String schema, String name) {
        public String refreshStatement() {
            return "REFRESH MATERIALIZED VIEW " + Identifiers.quote(schema) + "." + Identifiers.quote(name);
        }
    }

    public DelayedDdl {
        indexes = List.copyOf(indexes);
        foreignKeys = List.copyOf(foreignKeys);
        triggers = triggers == null ? List.of() : List.copyOf(triggers); // absent from an older run's saved file
        matviews = matviews == null ? List.of() : List.copyOf(matviews); // likewise
    }
}
