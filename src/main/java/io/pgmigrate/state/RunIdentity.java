package io.pgmigrate.state;

import io.pgmigrate.MigrationException;

/**
 * Which source and target a state folder is about. Markers are only trusted by a run against the same pair:
 * the system identifier tells a server apart from another one at the same address (a re-initialised cluster),
 * host and port tell servers apart where the system identifier cannot be read.
 */
public record RunIdentity(Server source, Server target) {
    public static final String FILE = "run.json";

    public record Server(String host, int port, String systemIdentifier) {
        String describe() {
            return host + ":" + port + (systemIdentifier == null ? "" : " (system identifier " + systemIdentifier + ")");
        }
    }

    /** Records this identity in a fresh state folder, or refuses a folder that belongs to another pair. */
    public static void claim(StateStore state, RunIdentity current) {
        var recorded = state.readJson(FILE, RunIdentity.class);
        if (recorded.isEmpty()) {
            state.writeJson(FILE, current);
            return;
        }
        RunIdentity before = recorded.get();
        check("source", before.source(), current.source(), state);
        check("target", before.target(), current.target(), state);
    }

    private static void check(String side, Server before, Server now, StateStore state) {
        if (!before.equals(now)) {
            throw MigrationException.state("the state folder " + state.migrateDir() + " belongs to a run whose "
                    + side + " was " + before.describe() + ", not " + now.describe()
                    + "; its markers cannot be trusted here: use another --state-dir (or HOME), "
                    + "or remove both state folders to start afresh");
        }
    }
}
