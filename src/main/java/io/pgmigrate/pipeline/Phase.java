package io.pgmigrate.pipeline;

/** The steps one database goes through, named in pg_dump's words; {@link #label} heads the summary column. */
public enum Phase {
    DUMP("dump"),
    SOURCE_COUNTS("src count"),
    RESTORE("restore"),
    TARGET_COUNTS("dst count"),
    VERIFY("verify"),
    DELAYED_DUMP("dly dump"),
    DELAYED_LOAD("dly load"),
    INDEXES("indexes"),
    DELAYED_VERIFY("dly verify"),
    ANALYZE("analyze");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** A step of the delayed phase (only databases with --delay-table-data tables have them). */
    public boolean delayed() {
        return this == DELAYED_DUMP || this == DELAYED_LOAD || this == INDEXES || this == DELAYED_VERIFY;
    }
}
