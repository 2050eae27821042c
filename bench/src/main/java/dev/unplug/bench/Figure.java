package dev.unplug.bench;

/** One figure of the report: measures Unplug and its anchor side by side in one run. */
interface Figure {

    /** Its name for {@code --only}: lower case, one word. */
    String name();

    /**
     * Measures; {@code quick} keeps it to a few seconds (what CI runs: it proves the figure runs, and its numbers
     * are not judged).
     */
    Result run(boolean quick) throws Exception;
}
