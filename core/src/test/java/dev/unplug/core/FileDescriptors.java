package dev.unplug.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * Counts this process's TCP sockets from {@code /proc/self/fd}, {@code /proc/net/tcp} and {@code /proc/net/tcp6}
 * (Linux). Only TCP sockets count: the JDK keeps one Unix socket pair for itself once it has closed a socket that
 * another thread was blocked on, and that is not a leak.
 */
final class FileDescriptors {

    private static final Path FD = Path.of("/proc/self/fd");

    private FileDescriptors() {
    }

    static boolean available() {
        return Files.isDirectory(FD) && Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** This process's open TCP sockets (listening, connected or closing). */
    static int tcpSockets() {
        return count(tcpInodes(null));
    }

    /** This process's TCP sockets whose remote port is {@code port}: the client ends of connections to it. */
    static int connectedTo(int port) {
        return count(tcpInodes(String.format(Locale.ROOT, ":%04X", port)));
    }

    /** Waits (bounded: 50 polls of 100 ms) until the count satisfies the condition; returns the last count. */
    static int await(IntSupplier count, IntPredicate settled) throws InterruptedException {
        int n = count.getAsInt();
        for (int i = 0; i < 50 && !settled.test(n); i++) {
            Thread.sleep(100);
            n = count.getAsInt();
        }
        return n;
    }

    private static Set<String> tcpInodes(String remotePortSuffix) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                    if (f.length > 9 && !f[0].equals("sl") && (remotePortSuffix == null || f[2].endsWith(remotePortSuffix))) {
                        inodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                // no IPv6 table on this system
            }
        }
        return inodes;
    }

    private static int count(Set<String> inodes) {
        int n = 0;
        for (String inode : socketInodes()) {
            if (inodes.contains(inode)) {
                n++;
            }
        }
        return n;
    }

    private static List<String> socketInodes() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FD)) {
            for (Path fd : fds) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        out.add(link.substring("socket:[".length(), link.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while listing (the listing's own descriptor, for one)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD, e);
        }
        return out;
    }
}
