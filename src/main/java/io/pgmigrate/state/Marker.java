package io.pgmigrate.state;

/** The per-database markers, named as in the reference ({@code <db>.dumped}, ...), plus the ones this tool adds. */
public enum Marker {
    /** Written before CREATE DATABASE: the target database is ours to create, write into and re-create. */
    CREATED("created"),
    DUMPED("dumped"),
    /** Written before pg_restore starts: a restore that finds it without DONE re-creates the database first. */
    RESTORING("restoring"),
    DONE("done"),
    VERIFY("verify"),
    ANALYZED("analyzed"),
    /** The database-level properties (settings, privileges, comment, connection limit) are applied. */
    PROPERTIES("properties"),
    DELAYED_DUMPED("delayed_dumped"),
    DELAYED_INDEXES_DROPPED("delayed_indexes_dropped"),
    /** Written before the delayed tables are loaded: a load that finds it without DELAYED_DONE was cut short. */
    DELAYED_LOADING("delayed_loading"),
    DELAYED_DONE("delayed_done"),
    DELAYED_INDEXES_RECREATED("delayed_indexes_recreated"),
    DELAYED_MATVIEWS_REFRESHED("delayed_matviews_refreshed"),
    DELAYED_VERIFY("delayed_verify"),
    /** Stream mode: the schema's pre-data section is on the target; the tables in {@code <db>.copied} are copied. */
    PRE_DATA("pre_data"),
    /** Stream mode: written before the data and post-data sections are restored (after every table is copied). */
    POST_DATA_RESTORING("post_data_restoring");

    private final String suffix;

    Marker(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    /**
     * Markers written once a change on the target is made (not before it starts): the change must be durable first,
     * since a run that finds the marker does not make it again.
     */
    public boolean recordsTargetChange() {
        return switch (this) {
            case DONE, ANALYZED, PROPERTIES, DELAYED_INDEXES_DROPPED, DELAYED_DONE, DELAYED_INDEXES_RECREATED,
                    DELAYED_MATVIEWS_REFRESHED, PRE_DATA -> true;
            case CREATED, DUMPED, RESTORING, VERIFY, DELAYED_DUMPED, DELAYED_LOADING, DELAYED_VERIFY,
                    POST_DATA_RESTORING -> false;
        };
    }

    /** Markers that live in the verify folder, as in the reference. */
    public boolean inVerifyFolder() {
        return this == VERIFY || this == DELAYED_VERIFY;
    }
}
