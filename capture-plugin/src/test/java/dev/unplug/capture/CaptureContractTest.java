package dev.unplug.capture;

import dev.unplug.api.Options;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.TckPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The TCK against the capture plugin, on an offline source: discovery, cheap construction, open without I/O,
 * the seeds' errors, bad arguments, a clean graceful disconnect (the device's goodbye is closing the handle, and
 * its reply says so), close, and no thread or file descriptor left after connect/disconnect cycles. The checks
 * that need a socket peer on the other end (a goodbye on the wire, a peer that never answers or resets, a command
 * blocked reading, a password in the URI) do not apply to a local device and are disabled with the reason; what
 * they stand for is tested for the device in {@link CaptureDeviceTest} and {@link CaptureRefusalTableTest}.
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

    /** The TCK starts loopback peers for some checks; a capture device never talks to them. */
    @Override
    protected LineScript script() {
        return LineScript.smtp().build();
    }

    /** The offline source, whatever the port: a device has no server. */
    @Override
    protected URI uri(int port) {
        return URI.create("capture://offline");
    }

    @Override
    protected Options options() {
        return Options.builder().set("file", source.toString()).set("dir", folder.toString()).build();
    }

    @Override
    protected TckPeer startNormalPeer() {
        return TckPeer.external(uri(0), () -> { });
    }

    private static final String NO_WIRE = "a capture device's goodbye is local (closing the libpcap handle): there is"
            + " no peer to receive it, delay it, reset it or never answer it";

    @Override
    @Test
    @Disabled(NO_WIRE + "; connecting twice is checked in CaptureRefusalTableTest and CaptureDeviceTest")
    public void connectTwiceRaisesAlreadyConnected(ConnectionTracker tracker) {
    }

    @Override
    @Test
    @Disabled(NO_WIRE + "; drop is checked in CaptureDeviceTest.dropWhileCapturingReturnsPromptlyAndLeavesAValidFile")
    public void dropIsImmediateAndSendsNoGoodbye(ConnectionTracker tracker) {
    }

    @Override
    @Test
    @Disabled(NO_WIRE)
    public void goodbyeIsSentExactlyOnceUnderConcurrentDisconnects(ConnectionTracker tracker) {
    }

    @Override
    @Test
    @Disabled(NO_WIRE)
    public void deadlineHoldsAgainstAPeerThatNeverAnswersTheGoodbye(ConnectionTracker tracker) {
    }

    @Override
    @Test
    @Disabled(NO_WIRE)
    public void aDisconnectBegunWithoutWaitingHoldsTheDeadlineAgainstASilentServer(ConnectionTracker tracker) {
    }

    @Override
    @Test
    @Disabled(NO_WIRE)
    public void goodbyeAnsweredWithAResetEscalates(ConnectionTracker tracker) {
    }

    @Override
    @Test
    @Disabled("no capture call blocks reading a peer; drop while a capture thread reads libpcap is checked in"
            + " CaptureDeviceTest and, live on lo, in LiveCaptureTest")
    public void dropWhileAnotherThreadIsBlockedInIoReturnsPromptly(ConnectionTracker tracker) {
    }

    @Override
    @Test
    @Disabled("no capture call blocks reading a peer; a disconnect during a capture is refused (CAPTURING), see"
            + " CaptureRefusalTableTest")
    public void disconnectsWaitingForACommandInFlightShareOneGoodbyeAndOneOutcome(ConnectionTracker tracker) {
    }

    @Override
    @Test
    @Disabled(NO_WIRE + "; close is checked in CaptureDeviceTest.closeWhileCapturingDropsInsteadOfThrowing")
    public void closeNeverThrowsAndEndsGracefully(ConnectionTracker tracker) {
    }

    @Override
    @Test
    @Disabled("capture URIs carry no credentials, and a device cannot fail with CONNECT_FAILED or a connect"
            + " TIMEOUT against a silent peer as this check expects")
    public void passwordsNeverAppearInToStringUriOrErrors(ConnectionTracker tracker) {
    }
}
