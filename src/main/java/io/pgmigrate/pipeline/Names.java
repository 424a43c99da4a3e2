package io.pgmigrate.pipeline;

import java.util.List;

/** Lists of names in one line of a warning or an error. */
final class Names {
    private Names() {
    }

    /** The first {@code shown} names, comma-separated, then "and N more" for the rest: "a, b, c and 2 more". */
    static String firstOf(List<String> names, int shown) {
        return String.join(", ", names.subList(0, Math.min(shown, names.size())))
                + (names.size() > shown ? " and " + (names.size() - shown) + " more" : "");
    }
}
