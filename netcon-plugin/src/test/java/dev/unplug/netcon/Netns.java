package dev.unplug.netcon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of a test's own with a veth pair ({@code va}, {@code vb}) and a bridge with no port
 * ({@code br0}, operstate {@code UNKNOWN} when up), all down; {@link #close()} deletes the namespace, which deletes its links, whatever happened. Needs root: otherwise the
 * test is skipped with the reason, or failed under {@code CI=true}.
 */
final class Netns implements AutoCloseable {

    static final String PREFIX = "unplug-nc-" + ProcessHandle.current().pid() + "-";
    private static final AtomicInteger COUNT = new AtomicInteger();

    final String name = PREFIX + COUNT.incrementAndGet();

    Netns() {
        requireRoot();
        ip("netns", "add", name);
        try {
            ip("-n", name, "link", "add", "va", "type", "veth", "peer", "name", "vb");
            ip("-n", name, "link", "add", "br0", "type", "bridge");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            String why = "network namespaces need root (CI is root)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
    }

    /** Adds a dummy link {@code d0}, or skips the test when this kernel has no dummy driver (no module loaded). */
    void addDummy() {
        try {
            in("link", "add", "d0", "type", "dummy");
        } catch (IllegalStateException e) {
            Assumptions.abort("this kernel has no dummy link driver (" + e.getMessage().strip() + "): the only link"
                    + " type here whose carrier can be set");
        }
    }

    /** {@code ip -n NAME ARGS...}, failing the test when it fails. */
    String in(String... args) {
        List<String> all = new ArrayList<>(List.of("-n", name));
        all.addAll(List.of(args));
        return ip(all.toArray(String[]::new));
    }

    /** Whether the link is administratively up, as the kernel reports it now. */
    boolean up(String link) {
        return in("-o", "link", "show", "dev", link).replaceAll(".*<([^>]*)>.*", "$1").matches("(.*,)?UP(,.*)?\\s*");
    }

    static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ip", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The namespaces of this JVM's tests that still exist. */
    static List<String> leftOver() throws IOException {
        Path run = Path.of("/run/netns");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (var s = Files.list(run)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).toList();
        }
    }

    @Override
    public void close() {
        try {
            ip("netns", "del", name);
        } catch (RuntimeException e) {
            // already gone
        }
    }
}
