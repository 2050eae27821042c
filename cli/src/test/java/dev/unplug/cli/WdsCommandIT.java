package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.wds.WdsServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unplug wds serve} and {@code unplug wds get} from the fat jar, on loopback. */
class WdsCommandIT {

    @TempDir
    Path work;

    private Path file(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(work.resolve(name), bytes);
    }

    @Test
    void getReceivesAContentPrintsProgressLinesAndTheChecksumAndExitsZero() throws Exception {
        Path source = file("disk.img", 3 << 20);
        Path out = Files.createDirectories(work.resolve("out"));
        try (WdsServer server = WdsServer.builder().rate(1L << 20).start()) {
            server.register("images");
            server.addContent("images", "disk.img", source);
            UnplugJar.Result r = UnplugJar.run("wds", "get", server.uri("images", "disk.img").toString(), "--out",
                    out.toString(), "--name", "cli-client");
            assertThat(r.exit()).as(r.toString()).isZero();
            String sha = WdsDemo.sha256(source);
            assertThat(r.out()).as(r.toString()).contains("joined wds://127.0.0.1:" + server.port())
                    .containsPattern("(?m)^ *\\d+ % [\\d,]+ of 3,145,728 bytes$")
                    .contains("complete: " + out.resolve("disk.img") + " (sha256 " + sha + ")");
            assertThat(r.out().lines().filter(l -> l.contains(" % ")).count()).as("one line per second, not per"
                    + " percent, when not a terminal").isBetween(2L, 8L);
            assertThat(WdsDemo.sha256(out.resolve("disk.img"))).isEqualTo(sha);
        }
    }

    @Test
    void getOfAnUnknownContentFailsWithATypedOneLineErrorAndLeavesNoFile() throws Exception {
        Path out = Files.createDirectories(work.resolve("out"));
        try (WdsServer server = WdsServer.builder().start()) {
            server.register("images");
            UnplugJar.Result r = UnplugJar.run("wds", "get", server.uri("images", "nope").toString(), "--out",
                    out.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).as(r.toString()).startsWith("error: INVALID_ARGUMENT").contains("no content nope")
                    .doesNotContain("Exception").hasLineCount(1);
            assertThat(Files.list(out)).isEmpty();
        }
    }

    @Test
    void serveOffersEachFileUntilItsTimeIsUpAndReportsWhatItSent() throws Exception {
        Path source = file("a.bin", 512 << 10);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        CompletableFuture<UnplugJar.Result> serving = CompletableFuture.supplyAsync(() -> UnplugJar.run("wds",
                "serve", source.toString(), "--port", String.valueOf(port), "--namespace", "files", "--for", "6s"));
        awaitListening(port);
        Path out = Files.createDirectories(work.resolve("out"));
        UnplugJar.Result got = UnplugJar.run("wds", "get", "wds://127.0.0.1:" + port + "/files/a.bin", "--out",
                out.toString());
        assertThat(got.exit()).as(got.toString()).isZero();
        assertThat(WdsDemo.sha256(out.resolve("a.bin"))).isEqualTo(WdsDemo.sha256(source));
        UnplugJar.Result r = serving.get();
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).contains("serving 1 file(s) on wds server on 127.0.0.1:" + port)
                .contains("wds://127.0.0.1:" + port + "/files/a.bin").containsPattern("served: multicast \\d+ bytes");
    }

    @Test
    void badWdsUsageExitsTwoWithAUsageLine() {
        for (String[] args : new String[][] {{"wds"}, {"wds", "bogus"}, {"wds", "serve", "/no/such/file"},
                {"wds", "get", "wds://127.0.0.1/only-one"}, {"wds", "serve", "--port", "70000", "x"}}) {
            UnplugJar.Result r = UnplugJar.run(args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).contains("usage: unplug wds serve").doesNotContain("Exception");
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() - until < 0) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("unplug wds serve did not listen on " + port);
    }
}
