package dev.unplug.bench;

import java.util.logging.Level;
import java.util.logging.Logger;

/** What the figures share: quiet logs. Stateless. */
final class Bench {

    /**
     * Unplug's own loggers ({@code dev.unplug.*}) at WARNING, as a production application sets them: at JUL's
     * default INFO every drop and escalation would be printed to the console, and a benchmark would measure the
     * console. Held here because JUL keeps loggers weakly.
     */
    private static final Logger UNPLUG_LOG = Logger.getLogger("dev.unplug");

    private Bench() {
    }

    /** Call first in every process the bench starts (the runner, JMH's forks, child probes). */
    static void quietLogs() {
        UNPLUG_LOG.setLevel(Level.WARNING);
    }
}
