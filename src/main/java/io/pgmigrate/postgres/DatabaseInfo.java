package io.pgmigrate.postgres;

/**
 * One database as the source's catalog describes it.
 *
 * @param localeProvider "c" (libc), "i" (ICU, 15+) or "b" (builtin, 17+)
 * @param icuLocale      the ICU or builtin locale, where the provider is not libc
 */
public record DatabaseInfo(String name, long sizeBytes, String owner, String encoding, String collate, String ctype,
                           boolean allowConnections, String tablespace, String localeProvider, String icuLocale,
                           String icuRules) {

    /** A libc database in the default tablespace. */
    public DatabaseInfo(String name, long sizeBytes, String owner, String encoding, String collate, String ctype,
                        boolean allowConnections) {
        this(name, sizeBytes, owner, encoding, collate, ctype, allowConnections, "pg_default", "c", null, null);
    }
}
