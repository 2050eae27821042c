package dev.unplug.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/** What the figures share: quiet logs, temporary folders. Stateless. */
final class Bench {

    /**
     * Unplug's own loggers ({@code dev.unplug.*}) at WARNING, as a production application sets them: at JUL's
     * default INFO every drop and escalation would be printed to the console, and a benchmark would measure the
     * console. Held here because JUL keeps loggers weakly.
     */
    private static final Logger UNPLUG_LOG = Logger.getLogger("dev.unplug");

    private Bench() {
    }

    /** Deletes a temporary folder and everything in it, deepest first. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }

    /** Call first in every process the bench starts (the runner, JMH's forks, child probes). */
    static void quietLogs() {
        UNPLUG_LOG.setLevel(Level.WARNING);
    }
}
