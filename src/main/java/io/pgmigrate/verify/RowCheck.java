package io.pgmigrate.verify;

/** How verification compares the rows of each table. */
public enum RowCheck {
    /** Not at all (a migration has already compared exact counts table by table). */
    NONE,
    /** Exact counts. */
    COUNT,
    /** An order-independent checksum of every row, with the count. */
    CHECKSUM;

    public static RowCheck parse(String option, String value) {
        return switch (value) {
            case "checksum" -> CHECKSUM;
            case "count" -> COUNT;
            default -> throw io.pgmigrate.MigrationException.usage(option + " " + value + ": expected checksum or count");
        };
    }
}
