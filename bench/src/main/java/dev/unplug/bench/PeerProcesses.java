package dev.unplug.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A running {@link PeerProcess}: its two ports; closing ends it. Not thread-safe. */
final class PeerProcesses implements AutoCloseable {

    private final Process process;
    final int answering;
    final int silent;

    private PeerProcesses(Process process, int answering, int silent) {
        this.process = process;
        this.answering = answering;
        this.silent = silent;
    }

    /** Starts the peers in a child JVM and waits for their ports. */
    static PeerProcesses start() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PeerProcess.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader from = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = from.readLine();
        if (line == null || !line.startsWith("PEERS ")) {
            p.destroyForcibly();
            throw new IllegalStateException("the peer process did not start: it printed " + line);
        }
        String[] ports = line.split(" ");
        return new PeerProcesses(p, Integer.parseInt(ports[1]), Integer.parseInt(ports[2]));
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
