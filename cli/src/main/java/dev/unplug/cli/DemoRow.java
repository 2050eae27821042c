package dev.unplug.cli;

import dev.unplug.api.DisconnectOutcome;
import java.util.List;

/**
 * One line of the demo's report: what was done for a protocol, how its two connections ended, and whether that
 * is what was expected. Immutable.
 *
 * @param protocol the protocol, such as {@code SMTP}
 * @param work the work done, in words (or why none was done)
 * @param graceful the outcome of the graceful disconnect, or null when it did not run
 * @param drop the outcome of the drop, or null when it did not run
 * @param result whether everything behaved as expected
 * @param note a detail for the footnotes (a last reply, an error line), or null
 * @param details more footnote lines (one per client of the wds step), possibly none
 */
record DemoRow(String protocol, String work, DisconnectOutcome graceful, DisconnectOutcome drop, Result result,
        String note, List<String> details) {

    DemoRow {
        details = List.copyOf(details);
    }

    DemoRow(String protocol, String work, DisconnectOutcome graceful, DisconnectOutcome drop, Result result,
            String note) {
        this(protocol, work, graceful, drop, result, note, List.of());
    }

    /** How a protocol's part of the demo went. */
    enum Result {
        /** Every step ran and ended as expected. */
        OK,
        /** Every step ran but an outcome was not the expected one. */
        UNEXPECTED,
        /** A step failed with an error. */
        FAILED,
        /** The plugin is not in this build: nothing ran. */
        NOT_AVAILABLE,
        /** The step could not run here for a reason outside the demo (such as capture without root): said, not failed. */
        SKIPPED
    }

    /** Whether this part of the demo ran and behaved as expected. */
    boolean asExpected() {
        return result == Result.OK || result == Result.SKIPPED;
    }

    /** The outcome as a table cell: {@code CLEAN 3.2 ms}. */
    static String cell(DisconnectOutcome o) {
        return o == null ? "-" : o.kind() + " " + ProbeCommand.millis(o.elapsed().toNanos()) + " ms";
    }

    /** The result as a table cell. */
    String resultCell() {
        return switch (result) {
            case OK -> "ok";
            case UNEXPECTED -> "UNEXPECTED";
            case FAILED -> "FAILED";
            case NOT_AVAILABLE -> "not run";
            case SKIPPED -> "skipped";
        };
    }
}
