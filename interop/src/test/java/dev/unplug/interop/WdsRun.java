package dev.unplug.interop;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.api.session.TransferClient;
import dev.unplug.api.session.TransferResult;
import dev.unplug.api.session.TransportServer;
import dev.unplug.core.PluginHost;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One wds transfer, run in a child JVM inside the interop test's network namespace: a server and {@code N}
 * clients in this JVM, the file sent at the given rate. Prints {@code wallMillis=W multicastBytes=M} and exits
 * 0 when every client completed with the right SHA-256, 1 otherwise.
 *
 * <p>Arguments: FILE OUT_DIR CLIENTS RATE_BYTES_PER_SECOND BLOCK_SIZE.
 */
public final class WdsRun {

    private WdsRun() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int clients = Integer.parseInt(args[2]);
        long rate = Long.parseLong(args[3]);
        int block = Integer.parseInt(args[4]);
        int failures = 0;
        try (PluginHost host = PluginHost.fromClassPath();
                TransportServer server = host.extension("wds", TransportServer.Factory.class).start(Options.builder()
                        .set("rate", Long.toString(rate)).set("blockSize", Integer.toString(block))
                        .set("startDelay", "100ms").build())) {
            server.register("interop");
            server.addContent("interop", "image.bin", file);
            URI uri = server.uri("interop", "image.bin");
            long start = System.nanoTime();
            List<Connection> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Path dir = Files.createDirectories(out.resolve("c" + i));
                Connection c = host.open(uri, Options.builder().set("out", dir.toString()).set("name", "c" + i)
                        .build());
                all.add(c);
                c.connect();
            }
            for (Connection c : all) {
                TransferResult r = c.unwrap(TransferClient.class).awaitResult(Duration.ofSeconds(60));
                if (r.status() != TransferResult.Status.COMPLETE) {
                    System.err.println(c + ": " + r);
                    failures++;
                }
            }
            long wall = System.nanoTime() - start;
            all.forEach(Connection::disconnect);
            System.out.println("wallMillis=" + wall / 1_000_000 + " multicastBytes=" + server.bytesMulticast());
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
