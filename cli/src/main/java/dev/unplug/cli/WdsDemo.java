package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.session.DisconnectType;
import dev.unplug.api.session.TransferClient;
import dev.unplug.api.session.TransferResult;
import dev.unplug.api.session.TransportServer;
import dev.unplug.core.PluginHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * The demo's wds step: a transport server in this JVM multicasts a generated 4 MiB file on {@code lo} (TTL 0) to
 * four clients opened through the plugin host; one is fallen back to unicast mid-transfer and one aborted. Expected:
 * three complete files with the source's SHA-256 (the fallen-back one fetched exactly the blocks it lacked by
 * unicast), and no file at all for the aborted one. Then one complete client disconnects gracefully (CLEAN) and
 * another is dropped (DROPPED). Not thread-safe: one demo run.
 */
final class WdsDemo {

    private static final int SIZE = 4 << 20;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CONTENT = "image.bin";

    private WdsDemo() {
    }

    static DemoRow run(PluginHost host) {
        if (!host.schemes().contains("wds")) {
            return new DemoRow("wds", "not available (no wds plugin in this build)", null, null,
                    DemoRow.Result.NOT_AVAILABLE, null);
        }
        Path dir = null;
        List<Connection> opened = new ArrayList<>();
        try (TransportServer server = host.extension("wds", TransportServer.Factory.class)
                .start(Options.builder().set("rate", "4m").build())) {
            dir = Files.createTempDirectory("unplug-demo-wds");
            Path source = dir.resolve(CONTENT);
            byte[] bytes = new byte[SIZE];
            new Random(42).nextBytes(bytes);
            Files.write(source, bytes);
            String sha = sha256(source);
            server.register("demo");
            server.addContent("demo", CONTENT, source);
            URI uri = server.uri("demo", CONTENT);
            List<TransferClient> clients = new ArrayList<>();
            for (String name : List.of("stays-1", "stays-2", "fallback", "abort")) {
                Path out = Files.createDirectories(dir.resolve(name));
                Connection c = host.open(uri, Options.builder().set("out", out.toString()).set("name", name).build());
                opened.add(c);
                clients.add(c.unwrap(TransferClient.class));
            }
            opened.forEach(Connection::connect);
            TransferClient fallback = clients.get(2);
            TransferClient abort = clients.get(3);
            if (!awaitPercent(() -> fallback.progress().percent(), 30)
                    || !awaitPercent(() -> abort.progress().percent(), 30)) {
                return new DemoRow("wds", "clients did not progress", null, null, DemoRow.Result.UNEXPECTED,
                        "fallback at " + fallback.progress().percent() + " %, abort at " + abort.progress().percent()
                        + " % after " + WAIT.toSeconds() + " s");
            }
            server.disconnect(fallback.clientId(), DisconnectType.FALLBACK);
            awaitPercent(() -> abort.progress().percent(), 40);
            server.disconnect(abort.clientId(), DisconnectType.ABORT);

            List<TransferResult> results = new ArrayList<>();
            for (TransferClient c : clients) {
                results.add(c.awaitResult(WAIT));
            }
            DisconnectOutcome graceful = opened.get(0).disconnect();
            DisconnectOutcome drop = opened.get(1).drop();
            opened.get(2).disconnect();
            opened.get(3).disconnect();

            List<String> details = new ArrayList<>();
            boolean expected = true;
            for (int i = 0; i < clients.size(); i++) {
                TransferResult r = results.get(i);
                String name = List.of("stays-1", "stays-2", "fallback", "abort").get(i);
                boolean complete = r.status() == TransferResult.Status.COMPLETE;
                String fileSha = complete ? sha256(r.file().orElseThrow()) : null;
                boolean ok = i < 3 ? complete && sha.equals(fileSha)
                        : r.status() == TransferResult.Status.ABORTED && isEmpty(dir.resolve(name));
                if (i == 2) {
                    ok &= r.blocksMissingAtFallback() > 0 && r.blocksOverUnicast() == r.blocksMissingAtFallback();
                }
                expected &= ok;
                details.add(String.format(Locale.ROOT, "client %-8s %-8s multicast %,9d B, unicast %,9d B%s; %s",
                        name, r.status(), r.bytesOverMulticast(), r.bytesOverUnicast(),
                        i == 2 ? " (" + r.blocksOverUnicast() + " blocks, exactly the " + r.blocksMissingAtFallback()
                                + " it lacked)" : "",
                        complete ? "sha256 " + fileSha.substring(0, 16) + "... " + (sha.equals(fileSha) ? "= source"
                                : "DIFFERS") : "no file left: " + isEmpty(dir.resolve(name))));
            }
            expected &= graceful.kind() == DisconnectOutcome.Kind.CLEAN && drop.kind() == DisconnectOutcome.Kind.DROPPED;
            String work = String.format(Locale.ROOT, "4 MiB to 4 clients by multicast on lo: 1 fell back, 1 aborted;"
                    + " server sent %.2f copies", (double) server.bytesMulticast() / SIZE);
            return new DemoRow("wds", work, graceful, drop, expected ? DemoRow.Result.OK : DemoRow.Result.UNEXPECTED,
                    null, details);
        } catch (UnplugException e) {
            return new DemoRow("wds", "failed", null, null, DemoRow.Result.FAILED, Errors.line(e));
        } catch (IOException | UncheckedIOException e) {
            return new DemoRow("wds", "failed", null, null, DemoRow.Result.FAILED, "error: " + e.getMessage());
        } finally {
            opened.forEach(Connection::close);
            delete(dir);
        }
    }

    private static boolean awaitPercent(IntSupplier percent, int atLeast) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (percent.getAsInt() < atLeast && System.nanoTime() - until < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return percent.getAsInt() >= atLeast;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
