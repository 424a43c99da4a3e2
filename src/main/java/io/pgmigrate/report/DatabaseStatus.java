package io.pgmigrate.report;

/** Where one database stands; the summary's status column. */
public enum DatabaseStatus {
    PENDING("pending"),
    RUNNING("running"),
    DONE("done"),
    FAILED("FAILED"),
    VERIFY_FAILED("DIFFERS"),
    INTERRUPTED("interrupted");

    private final String label;

    DatabaseStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
