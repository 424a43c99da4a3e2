package io.pgmigrate.postgres;

/** A table by schema and name; {@link #key()} is its quoted, unambiguous name, used in count files and reports. */
public record TableRef(String schema, String name) {

    public String key() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    @Override
    public String toString() {
        return key();
    }
}
