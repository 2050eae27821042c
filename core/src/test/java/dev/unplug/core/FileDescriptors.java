package dev.unplug.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;

/** Counts this process's open file descriptors from {@code /proc/self/fd} (Linux). */
final class FileDescriptors {

    private static final Path FD = Path.of("/proc/self/fd");

    private FileDescriptors() {
    }

    static boolean available() {
        return Files.isDirectory(FD);
    }

    /** Open sockets of this process (descriptors that link to {@code socket:[inode]}). */
    static int sockets() {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FD)) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed while listing (the listing's own descriptor, for one)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD, e);
        }
        return n;
    }

    /** Every open descriptor of this process. */
    static int all() {
        try (var fds = Files.list(FD)) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD, e);
        }
    }

    /** Waits (bounded: 50 polls of 100 ms) until the count satisfies the condition; returns the last count. */
    static int awaitSockets(IntPredicate settled) throws InterruptedException {
        int n = sockets();
        for (int i = 0; i < 50 && !settled.test(n); i++) {
            Thread.sleep(100);
            n = sockets();
        }
        return n;
    }
}
