package dev.unplug.capture;

import dev.unplug.api.Options;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.TckPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The whole TCK against the capture plugin on an offline source (a pcap file written by the test): the device is
 * its own peer, which cannot see the wire ({@link TckPeer#observes()} is false), so the TCK checks everything on the
 * connection's side. A capture device declares neither GRACEFUL_GOODBYE (its goodbye is closing the libpcap handle,
 * which nothing can leave unanswered, delay or reset) nor COMMANDS, so rules 13, 15, 16, 17, 18 and 19 are reported
 * not applicable; what they stand for on a device is tested in {@link CaptureDeviceTest} and
 * {@link CaptureRefusalTableTest}. {@link LiveCaptureContractTest} runs the same TCK live on {@code lo}.
 */
class CaptureContractTest extends ConnectionContractTest {

    private static Path folder;
    private static Path source;

    @BeforeAll
    static void source() throws IOException {
        folder = Files.createTempDirectory("unplug-capture-tck");
        source = PcapFiles.numbered(folder.resolve("in.pcap"), 5);
    }

    @AfterAll
    static void clean() throws IOException {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @BeforeEach
    void libpcap() {
        PcapFiles.requireLibpcap();
    }

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return CaptureProvider.class;
    }

    /** The offline source, whatever the port: a device has no server. */
    @Override
    protected URI uri(int port) {
        return URI.create("capture://offline?file=" + source);
    }

    /** An offline source whose file does not exist: open accepts it, connect cannot open it. */
    @Override
    protected URI unreachableUri() {
        return URI.create("capture://offline?file=" + folder.resolve("missing.pcap"));
    }

    @Override
    protected Options options() {
        return Options.builder().set("dir", folder.toString()).build();
    }

    /** The device itself: only a normal one exists; the TCK asks for no other without GRACEFUL_GOODBYE. */
    @Override
    protected TckPeer startPeer(PeerBehaviour behaviour) {
        if (behaviour != PeerBehaviour.NORMAL) {
            throw new AssertionError("a capture device's goodbye is local: it cannot be " + behaviour);
        }
        return TckPeer.external(uri(0), () -> { });
    }
}
