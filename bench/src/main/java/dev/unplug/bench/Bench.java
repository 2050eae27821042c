package dev.unplug.bench;

/** What the benches share: argument parsing. Stateless. */
final class Bench {

    private Bench() {
    }

    /**
     * A whole-number argument, or its default when absent.
     *
     * @throws IllegalArgumentException when it is not a whole number from {@code min} to {@code max}
     */
    /**
     * Unplug's own loggers ({@code dev.unplug.*}) at WARNING, as a production application sets them: at JUL's
     * default INFO every drop and escalation would be printed to the console, and a benchmark would measure the
     * console. Held here because JUL keeps loggers weakly.
     */
    private static final java.util.logging.Logger UNPLUG_LOG = java.util.logging.Logger.getLogger("dev.unplug");

    /** Call first in every benchmark's main. */
    static void quietLogs() {
        UNPLUG_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    static int arg(String[] args, int index, int defaultValue, int min, int max) {
        if (args.length <= index) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(args[index].trim());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + (index + 1) + " must be a whole number from " + min
                    + " to " + max + ", not '" + args[index] + "'");
        }
    }
}
