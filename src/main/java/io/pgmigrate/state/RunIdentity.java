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

    /** Refuses a state folder that belongs to another pair; a fresh one passes (and is not claimed yet). */
    public static void requireSame(StateStore state, RunIdentity current) {
        var recorded = state.readJson(FILE, RunIdentity.class);
        if (recorded.isPresent()) {
            check("source", recorded.get().source(), current.source(), state);
            check("target", recorded.get().target(), current.target(), state);
        }
    }

    /** Refuses a state folder whose run had another target; a fresh one passes. */
    public static void requireSameTarget(StateStore state, Server target) {
        var recorded = state.readJson(FILE, RunIdentity.class);
        if (recorded.isPresent()) {
            check("target", recorded.get().target(), target, state,
                    "connect to that target, or use the state folder of the run that changed this one");
        }
    }

    /**
     * Claims a fresh state folder for this pair ({@link #requireSame} first). Done once every check has passed, just
     * before the first change: a run stopped by a check (a mistyped port, say) leaves the folder to the next one.
     */
    public static void claim(StateStore state, RunIdentity current) {
        requireSame(state, current);
        if (state.readJson(FILE, RunIdentity.class).isEmpty()) {
            state.writeJson(FILE, current);
        }
    }

    private static void check(String side, Server before, Server now, StateStore state) {
        check(side, before, now, state, "use another --state-dir (or HOME), or remove both state folders to start "
                + "afresh");
    }

    private static void check(String side, Server before, Server now, StateStore state, String whatToDo) {
        if (!before.equals(now)) {
            throw MigrationException.state("the state folder " + state.migrateDir() + " belongs to a run whose "
                    + side + " was " + before.describe() + ", not " + now.describe()
                    + "; its markers cannot be trusted here: " + whatToDo);
        }
    }
}
