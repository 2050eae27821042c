package dev.unplug.wds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Options;
import dev.unplug.api.session.TransferResult;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A server on loopback with one generated content, and the clients a test opens; ended by {@link #close()}. */
final class WdsFixture implements AutoCloseable {

    static final String NS = "images";
    static final String CONTENT = "disk.img";

    final WdsServer server;
    final Path source;
    final String sha256;
    final Path work;
    private final List<WdsConnection> clients = new ArrayList<>();

    WdsFixture(Path work, int bytes, UnaryOperator<WdsServer.Builder> settings) throws IOException {
        this.work = work;
        this.source = work.resolve("source.bin");
        byte[] content = new byte[bytes];
        new Random(bytes).nextBytes(content);
        Files.write(source, content);
        this.sha256 = Content.sha256(source);
        this.server = settings.apply(WdsServer.builder().startDelay(Duration.ofMillis(100))).start();
        server.register(NS);
        server.addContent(NS, CONTENT, source);
    }

    URI uri() {
        return server.uri(NS, CONTENT);
    }

    /** A client of the content, not yet connected, writing into its own folder. */
    WdsConnection client(String name) throws IOException {
        Path out = Files.createDirectories(work.resolve(name));
        WdsConnection c = (WdsConnection) new WdsProvider().open(uri(),
                Options.builder().set("out", out.toString()).set("name", name).build());
        clients.add(c);
        return c;
    }

    Path outOf(String name) {
        return work.resolve(name);
    }

    /** The files a client's folder holds (a .part included). */
    List<String> filesOf(String name) throws IOException {
        try (Stream<Path> files = Files.list(outOf(name))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    void assertComplete(TransferResult r, String name) throws IOException {
        assertThat(r.status()).as(name + ": " + r.error()).isEqualTo(TransferResult.Status.COMPLETE);
        assertThat(r.file()).contains(outOf(name).resolve(CONTENT));
        assertThat(Content.sha256(r.file().orElseThrow())).as(name + "'s SHA-256").isEqualTo(sha256);
        assertThat(filesOf(name)).as("only the verified file").containsExactly(CONTENT);
    }

    @Override
    public void close() {
        for (WdsConnection c : clients) {
            if (c.outcome().isEmpty() && c.state() != dev.unplug.api.ConnectionState.NOT_INITIALISED) {
                c.drop();
            }
        }
        server.close();
    }
}
