package dev.unplug.capture;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unplug.api.Options;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.TckPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The whole TCK against a live capture on {@code lo}: each peer is real traffic, a sender of one UDP datagram every
 * 5 ms to a port on 127.0.0.1, which the device captures (filter {@code udp port N}) while the TCK connects,
 * disconnects and drops it. Needs root or CAP_NET_RAW: skipped with that reason otherwise, failed instead under
 * {@code CI=true}. Not-applicable rules as in {@link CaptureContractTest}.
 */
class LiveCaptureContractTest extends ConnectionContractTest {

    private static Path folder;

    @BeforeAll
    static void folder() throws IOException {
        folder = Files.createTempDirectory("unplug-capture-live-tck");
    }

    @AfterAll
    static void clean() throws IOException {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void permission() {
        PcapFiles.requireLibpcap();
        boolean allowed = LiveCaptureTest.canCapture();
        if (!allowed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("live capture needs root or CAP_NET_RAW, and CI runs as root");
        }
        assumeTrue(allowed, "live capture on lo needs root or CAP_NET_RAW (this process has neither)");
    }

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return CaptureProvider.class;
    }

    /** A capture on lo of the datagrams to a port (a device ignores a server port: the port is the filter's). */
    @Override
    protected URI uri(int port) {
        return URI.create("capture://lo?filter=udp%20port%20" + port);
    }

    /** An interface that does not exist. */
    @Override
    protected URI unreachableUri() {
        return URI.create("capture://unplugnone0");
    }

    @Override
    protected Options options() {
        return Options.builder().set("dir", folder.toString()).build();
    }

    @Override
    protected TckPeer startPeer(PeerBehaviour behaviour) {
        if (behaviour != PeerBehaviour.NORMAL) {
            throw new AssertionError("a capture device's goodbye is local: it cannot be " + behaviour);
        }
        return new Traffic();
    }

    /** Real traffic on lo for the device to capture; it does not see the device. */
    private final class Traffic extends TckPeer {
        private final DatagramSocket receiver;
        private final DatagramSocket sender;
        private final Thread thread;
        private volatile boolean running = true;

        Traffic() {
            try {
                receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread = new Thread(this::send, "unplug-peer-udp-" + receiver.getLocalPort());
            thread.setDaemon(true);
            thread.start();
        }

        private void send() {
            byte[] payload = "unplug-tck".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            DatagramPacket p = new DatagramPacket(payload, payload.length, receiver.getLocalSocketAddress());
            while (running) {
                try {
                    sender.send(p);
                    Thread.sleep(5);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public URI uri() {
            return LiveCaptureContractTest.this.uri(receiver.getLocalPort());
        }

        @Override
        public void close() {
            running = false;
            sender.close();
            receiver.close();
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
