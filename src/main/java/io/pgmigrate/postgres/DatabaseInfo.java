package io.pgmigrate.postgres;

/** One database as the source's catalog describes it. */
public record DatabaseInfo(String name, long sizeBytes, String owner, String encoding, String collate, String ctype,
                           boolean allowConnections) {
}
