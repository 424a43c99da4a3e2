package io.pgmigrate.verify;

/**
 * One thing that is not the same on both sides: of a kind ("row checksum", "index", "role", "database setting" ...),
 * named, with what each side has; a null side means the object is missing there.
 */
public record Difference(String kind, String name, String source, String target) {

    @Override
    public String toString() {
        if (target == null) {
            return kind + " " + name + ": missing on the target (source: " + source + ")";
        }
        if (source == null) {
            return kind + " " + name + ": only on the target (" + target + ")";
        }
        return kind + " " + name + ": source " + source + ", target " + target;
    }
}
