package io.pgmigrate.process;

import io.pgmigrate.MigrationException;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The client tools of one PostgreSQL version that a run drives: where each one is and its version. All four are of
 * one major release (checked on construction).
 */
public record ClientTools(Tool pgDump, Tool pgRestore, Tool pgDumpall, Tool psql) {

    /** One tool: its name ("pg_dump"), its path and its version. */
    public record Tool(String name, Path path, PgVersion version) {
        public Tool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(version, "version");
        }

        @Override
        public String toString() {
            return name + " " + version + " (" + path + ")";
        }
    }

    public ClientTools {
        Objects.requireNonNull(pgDump, "pgDump");
        Objects.requireNonNull(pgRestore, "pgRestore");
        Objects.requireNonNull(pgDumpall, "pgDumpall");
        Objects.requireNonNull(psql, "psql");
        for (Tool other : List.of(pgRestore, pgDumpall, psql)) {
            if (!other.version().sameMajor(pgDump.version())) {
                throw MigrationException.environment("client tools of different versions: " + pgDump + " but " + other
                        + "; put one PostgreSQL version's tools first in PATH or pass --pg-bin DIR");
            }
        }
    }

    public List<Tool> all() {
        return List.of(pgDump, pgRestore, pgDumpall, psql);
    }

    /** The tools' version (pg_dump's). */
    public PgVersion version() {
        return pgDump.version();
    }

    /**
     * Fails with one clear line unless this pg_dump can read a server of version {@code source}: pg_dump must be of
     * the source's major release or newer (and pg_dump 15 and later read servers from 9.2 only).
     */
    public void requireCanDump(PgVersion source) {
        PgVersion sourceMajor = source.majorRelease();
        PgVersion dumpMajor = pgDump.version().majorRelease();
        if (dumpMajor.compareTo(sourceMajor) < 0) {
            throw MigrationException.environment("pg_dump " + pgDump.version() + " cannot dump the PostgreSQL "
                    + sourceMajor + " source server (pg_dump must be as new as the server or newer); install "
                    + "postgresql-client-" + sourceMajor + " or newer, or pass --pg-bin DIR");
        }
        if (dumpMajor.isAtLeast(15) && sourceMajor.compareTo(PgVersion.of(9, 2)) < 0) {
            throw MigrationException.environment("pg_dump " + pgDump.version() + " cannot dump the PostgreSQL "
                    + sourceMajor + " source server (pg_dump 15 and later read 9.2 and later); pass --pg-bin DIR "
                    + "with the tools of PostgreSQL 9.2 to 14");
        }
    }

    /**
     * Fails with one clear line unless this pg_dump can dump a schema for stream mode: it must leave the large
     * objects out (--no-blobs, pg_dump 10 and later), since stream mode copies them itself.
     */
    public void requireCanStream() {
        if (!pgDump.version().isAtLeast(10)) {
            throw MigrationException.environment("stream mode needs pg_dump 10 or later (it leaves the large objects "
                    + "out of the schema with --no-blobs and copies them itself), but found " + pgDump
                    + "; pass --pg-bin DIR with newer client tools, or use --mode dump");
        }
    }

    /** The pg_dump arguments for a compression choice ("auto", "none", "gzip:5", "zstd:3" ...): see DumpCompression. */
    public List<String> compressionFor(String choice) {
        return DumpCompression.argsFor(pgDump.version(), choice);
    }

    /** "pg_dump 15.18 (/usr/lib/postgresql/15/bin/pg_dump), ...": for the log. */
    public String describe() {
        return pgDump + ", " + pgRestore + ", " + pgDumpall + ", " + psql;
    }
}
