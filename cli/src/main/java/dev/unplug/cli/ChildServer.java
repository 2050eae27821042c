package dev.unplug.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server the demo starts as a child process (a Debian package's program: mosquitto, websocketd) on a free
 * port of 127.0.0.1, with its files in a temporary folder; {@link #close()} stops it by its pid and removes the
 * folder, whatever happened. Not thread-safe: one demo step.
 */
final class ChildServer implements AutoCloseable {

    final Path dir;
    final int port;
    private Process process;

    private ChildServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The first of the paths that is an executable file. */
    static Optional<Path> installed(String... paths) {
        return Stream.of(paths).map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** A temporary folder and a free port, nothing started yet. */
    static ChildServer prepare(String name) throws IOException {
        Path dir = Files.createTempDirectory("unplug-demo-" + name + "-");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new ChildServer(dir, s.getLocalPort());
        }
    }

    /** Starts the command, its output into the folder's {@code stdout.log}, and waits up to 5 s for the port. */
    ChildServer start(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - until < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(command.get(0) + " exited at start (exit " + process.exitValue()
                        + ")");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while " + command.get(0) + " started", e);
                }
            }
        }
        throw new IllegalStateException(command.get(0) + " did not listen on 127.0.0.1:" + port + " within 5 s");
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder left behind is all that happens
        }
    }
}
