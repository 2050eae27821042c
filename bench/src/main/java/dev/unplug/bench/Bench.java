package dev.unplug.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the figures share: temporary folders. Every figure runs in the library's default configuration (logging
 * left as a new application has it: JUL at INFO, where Unplug writes no per-connection line). Stateless.
 */
final class Bench {

    private Bench() {
    }

    /** Deletes a temporary folder and everything in it, deepest first. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }
}
