package dev.unplug.interop;

import dev.unplug.api.Options;
import dev.unplug.wds.WdsConnection;
import dev.unplug.wds.WdsProvider;
import dev.unplug.wds.WdsResult;
import dev.unplug.wds.WdsServer;
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
        try (WdsServer server = WdsServer.builder().rate(rate).blockSize(block).startDelay(Duration.ofMillis(100)).start()) {
            server.register("interop");
            server.addContent("interop", "image.bin", file);
            URI uri = server.uri("interop", "image.bin");
            long start = System.nanoTime();
            List<WdsConnection> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Path dir = Files.createDirectories(out.resolve("c" + i));
                WdsConnection c = (WdsConnection) new WdsProvider().open(uri, Options.builder()
                        .set("out", dir.toString()).set("name", "c" + i).build());
                all.add(c);
                c.connect();
            }
            for (WdsConnection c : all) {
                WdsResult r = c.awaitResult(Duration.ofSeconds(60));
                if (r.status() != WdsResult.Status.COMPLETE) {
                    System.err.println(c + ": " + r);
                    failures++;
                }
            }
            long wall = System.nanoTime() - start;
            all.forEach(WdsConnection::disconnect);
            System.out.println("wallMillis=" + wall / 1_000_000 + " multicastBytes=" + server.bytesMulticast());
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
