package io.pgmigrate.pipeline;

/** The steps one database goes through, named in pg_dump's words; {@link #label} heads the summary column. */
public enum Phase {
    DUMP("dump"),
    SOURCE_COUNTS("src count"),
    RESTORE("restore"),
    TARGET_COUNTS("dst count"),
    VERIFY("verify"),
    ANALYZE("analyze");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
