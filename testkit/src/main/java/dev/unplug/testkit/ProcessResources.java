package dev.unplug.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Counts what this JVM holds, so tests can prove that nothing leaks: open file descriptors and sockets (from
 * {@code /proc/self/fd}, Linux only: check {@link #canCountFileDescriptors()}) and live threads.
 *
 * <p>Stateless and thread-safe. Never throws for an unreadable descriptor: descriptors that close while being
 * read are skipped.
 */
public final class ProcessResources {

    private static final Path FD_DIR = Path.of("/proc/self/fd");

    private ProcessResources() {
    }

    /** Whether {@code /proc/self/fd} can be read on this system. */
    public static boolean canCountFileDescriptors() {
        return Files.isDirectory(FD_DIR) && Files.isReadable(FD_DIR);
    }

    /**
     * The open file descriptors of this process, as descriptor number to link target (such as
     * {@code socket:[1234]} or a file path).
     *
     * @throws IllegalStateException when {@code /proc/self/fd} cannot be read
     */
    public static Map<Integer, String> fileDescriptors() {
        Map<Integer, String> fds = new HashMap<>();
        try (Stream<Path> entries = Files.list(FD_DIR)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                try {
                    fds.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
                    // closed meanwhile (the stream's own descriptor among them)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD_DIR, e);
        }
        return fds;
    }

    /** How many file descriptors are open. */
    public static int openFileDescriptors() {
        return fileDescriptors().size();
    }

    /** How many of the open file descriptors are sockets (listening, connected or half-closed). */
    public static int openSockets() {
        return (int) fileDescriptors().values().stream().filter(t -> t.startsWith("socket:")).count();
    }

    /** The live threads of this JVM. */
    public static Set<Thread> liveThreads() {
        return Collections.unmodifiableSet(Thread.getAllStackTraces().keySet());
    }

    /**
     * The live threads not in {@code baseline}, ignoring threads whose name starts with one of the given
     * prefixes (for example {@code "unplug-peer-"} for the test peers' own threads).
     */
    public static List<Thread> threadsNotIn(Set<Thread> baseline, String... ignoredPrefixes) {
        List<Thread> extra = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (t.isAlive() && !baseline.contains(t) && Stream.of(ignoredPrefixes).noneMatch(t.getName()::startsWith)) {
                extra.add(t);
            }
        }
        return extra;
    }

    /** Names of threads, for failure messages. */
    public static String names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * Polls a condition every few milliseconds until it holds or the timeout passes.
     *
     * @return whether it held
     */
    public static boolean awaitCondition(BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }
}
