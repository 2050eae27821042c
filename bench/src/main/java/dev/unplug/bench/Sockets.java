package dev.unplug.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Counts this process's sockets from {@code /proc} (Linux): every socket descriptor, and the TCP sockets connected
 * to a given remote port (the bench's client ends), found by matching descriptor inodes against
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 */
final class Sockets {

    private static final Path FD = Path.of("/proc/self/fd");

    private Sockets() {
    }

    static boolean available() {
        return Files.isDirectory(FD) && Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** Every socket descriptor of this process. */
    static int all() {
        return inodes().size();
    }

    /** This process's TCP sockets whose remote port is {@code port}. */
    static int connectedTo(int port) {
        Set<String> wanted = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                    if (f.length > 9 && f[2].endsWith(":" + hexPort)) {
                        wanted.add(f[9]);
                    }
                }
            } catch (IOException e) {
                // no IPv6 table on this system
            }
        }
        int n = 0;
        for (String inode : inodes()) {
            if (wanted.contains(inode)) {
                n++;
            }
        }
        return n;
    }

    /** The inodes of this process's socket descriptors, one entry per descriptor. */
    private static List<String> inodes() {
        List<String> out = new java.util.ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FD)) {
            for (Path fd : entries) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        out.add(link.substring("socket:[".length(), link.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD, e);
        }
        return out;
    }
}
