package io.pgmigrate.postgres;

/**
 * What the tool needs to know of a server before any work.
 *
 * @param inRecovery       a standby (hot or still recovering): read-only
 * @param replayPaused     a standby whose WAL replay is paused: nothing changes on it until it is resumed
 * @param systemIdentifier null where it cannot be read (before 9.6, or not allowed)
 * @param freeSlots        max_connections less the reserved slots and the client backends in use now
 */
public record ServerInfo(int versionNum, boolean superuser, boolean inRecovery, boolean replayPaused,
                         int maxConnections, int reserved, int inUse, String systemIdentifier) {

    public int freeSlots() {
        return maxConnections - reserved - inUse;
    }

    /**
     * A standby before 10: it cannot export a snapshot (pg_export_snapshot(), which pg_dump -j needs too), so each
     * connection reads it as it is at its own moment.
     */
    public boolean exportsNoSnapshot() {
        return inRecovery && versionNum < 100000;
    }

    /** "9.6", "12", "18". */
    public String majorVersion() {
        return versionNum >= 100000 ? Integer.toString(versionNum / 10000)
                : (versionNum / 10000) + "." + (versionNum / 100 % 100);
    }
}
