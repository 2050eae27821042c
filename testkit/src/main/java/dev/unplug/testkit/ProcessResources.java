package dev.unplug.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Counts what this JVM holds, so tests and benchmarks can prove that nothing leaks: open file descriptors and
 * sockets (from {@code /proc/self/fd}, Linux only: check {@link #canCountFileDescriptors()}), TCP sockets (matched
 * against {@code /proc/net/tcp} and {@code /proc/net/tcp6}: check {@link #canCountTcpSockets()}) and live threads.
 *
 * <p>Stateless and thread-safe. Never throws for an unreadable descriptor: descriptors that close while being
 * read are skipped.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ProcessResources {

    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static final List<Path> TCP_TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String SOCKET_LINK = "socket:[";

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

    /** Whether TCP sockets can be counted: {@code /proc/self/fd} and {@code /proc/net/tcp} are readable. */
    public static boolean canCountTcpSockets() {
        return canCountFileDescriptors() && Files.isReadable(TCP_TABLES.get(0));
    }

    /**
     * How many of this process's descriptors are TCP sockets (listening, connected or closing). Unlike
     * {@link #openSockets()} this leaves out Unix sockets, such as the pair the JDK keeps for itself once it has
     * closed a socket that another thread was blocked on, which is not a leak.
     *
     * @throws IllegalStateException when {@code /proc/self/fd} cannot be read
     */
    public static int openTcpSockets() {
        return countSocketsAmong(tcpInodes(-1));
    }

    /**
     * How many of this process's TCP sockets have {@code remotePort} as their remote port: the client ends of its
     * connections to a server on that port.
     *
     * @param remotePort 1 to 65535
     * @throws IllegalArgumentException when the port is out of range
     * @throws IllegalStateException when {@code /proc/self/fd} cannot be read
     */
    public static int tcpSocketsConnectedTo(int remotePort) {
        if (remotePort < 1 || remotePort > 65_535) {
            throw new IllegalArgumentException("remote port must be 1 to 65535, not " + remotePort);
        }
        return countSocketsAmong(tcpInodes(remotePort));
    }

    /**
     * Reads a count until it satisfies {@code settled} or the timeout passes, polling every 50 ms; for counts that
     * fall back only after the operating system or another thread has closed something.
     *
     * @return the last count read, settled or not
     */
    public static int awaitCount(IntSupplier count, IntPredicate settled, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        int n = count.getAsInt();
        while (!settled.test(n) && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return count.getAsInt();
            }
            n = count.getAsInt();
        }
        return n;
    }

    /** Socket inodes in the TCP tables, all of them or those whose remote port is {@code remotePort}. */
    private static Set<String> tcpInodes(int remotePort) {
        String suffix = remotePort < 0 ? null : String.format(Locale.ROOT, ":%04X", remotePort);
        Set<String> inodes = new HashSet<>();
        for (Path table : TCP_TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                continue; // no IPv6 table on this system
            }
            for (String line : lines) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && !f[0].equals("sl") && (suffix == null || f[2].endsWith(suffix))) {
                    inodes.add(f[9]);
                }
            }
        }
        return inodes;
    }

    /** How many of this process's socket descriptors have one of the inodes (one per descriptor). */
    private static int countSocketsAmong(Set<String> inodes) {
        int n = 0;
        for (String target : fileDescriptors().values()) {
            if (target.startsWith(SOCKET_LINK)
                    && inodes.contains(target.substring(SOCKET_LINK.length(), target.length() - 1))) {
                n++;
            }
        }
        return n;
    }

    /** The Linux capability to capture frames (open raw sockets): bit 13 of the capability sets. */
    public static final int CAP_NET_RAW = 13;

    /**
     * Whether this process holds a Linux capability in its effective set (root holds them all), read from
     * {@code /proc/self/status}; false where that file cannot be read.
     *
     * @param bit the capability's number, such as {@link #CAP_NET_RAW}
     * @return whether the capability is effective
     */
    public static boolean hasCapability(int bit) {
        if (bit < 0 || bit > 63) {
            throw new IllegalArgumentException("a capability number is 0 to 63, not " + bit);
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << bit)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
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
