package dev.unplug.capture;

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.api.capture.CaptureStatistics;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.ProcessResources;
import dev.unplug.testkit.UnplugExtension;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture on {@code lo} with real traffic (UDP datagrams to a port this test binds on 127.0.0.1). Needs
 * root or CAP_NET_RAW: skipped with the reason otherwise, and failed instead under {@code CI=true}. The frame
 * counts the plugin reports are checked against Wireshark's own reading of the file ({@code tshark -r}).
 */
@ExtendWith(UnplugExtension.class)
class LiveCaptureTest {

    @TempDir
    Path dir;
    private ConnectionTracker tracker;
    private DatagramSocket receiver;

    @BeforeEach
    void requireCapturePermission(ConnectionTracker t) throws IOException {
        PcapFiles.requireLibpcap();
        boolean allowed = canCapture();
        if (!allowed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("live capture needs root or CAP_NET_RAW, and CI runs as root");
        }
        assumeTrue(allowed, "live capture on lo needs root or CAP_NET_RAW (this process has neither)");
        tracker = t;
    }

    @Test
    void captureOnLoWritesExactlyTheFramesItReportsAndTsharkAgrees() throws Exception {
        try (DatagramSocket rx = bound()) {
            Connection c = open("udp port " + rx.getLocalPort(), "delayed");
            c.connect();
            CaptureControl control = c.unwrap(CaptureControl.class);
            control.start();
            send(rx.getLocalPort(), 25);
            try {
                CaptureDeviceTest.await(() -> control.statistics().framesWritten() == 25);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + control.statistics(), e);
            }
            control.stop();
            CaptureStatistics s = control.statistics();
            assertThat(s.framesWritten()).isEqualTo(25);
            assertThat(s.framesDroppedByKernel()).isZero();
            assertThat(c.disconnect(Duration.ofSeconds(2))).isClean();
            Path file = control.files().get(0);
            assertThat(PcapFiles.read(file)).hasSize(25);
            assertThat(tsharkFrameCount(file)).as("frames tshark reads in %s", file).isEqualTo(25);
        }
    }

    @Test
    void framesSeenWhileTheDeviceWasIdleAreNotPartOfTheNextCapture() throws Exception {
        try (DatagramSocket rx = bound()) {
            Connection c = open("udp port " + rx.getLocalPort(), "statistics");
            c.connect();
            CaptureControl control = c.unwrap(CaptureControl.class);
            send(rx.getLocalPort(), 7);
            Thread.sleep(100);
            control.start();
            send(rx.getLocalPort(), 3);
            CaptureDeviceTest.await(() -> control.statistics().framesSeen() >= 3);
            Thread.sleep(200);
            control.stop();
            assertThat(control.statistics().framesSeen()).as("frames in the capture").isEqualTo(3);
            assertThat(c.disconnect(Duration.ofSeconds(2))).isClean();
        }
    }

    @Test
    void dropOnAnIdleInterfaceReturnsWithin500msTwentyTimesOutOfTwenty() throws Exception {
        try (DatagramSocket rx = bound()) {
            for (int i = 0; i < 20; i++) {
                Connection c = open("udp port " + rx.getLocalPort(), "delayed");
                c.connect();
                CaptureControl control = c.unwrap(CaptureControl.class);
                control.start();
                Thread.sleep(30); // the capture thread is now blocked in libpcap's read on a quiet wire
                long start = System.nanoTime();
                DisconnectOutcome outcome = c.drop();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).as("drop %d of 20 on an idle lo", i + 1).isLessThan(Duration.ofMillis(500));
                assertThat(outcome).isDropped();
                assertThat(PcapFiles.read(control.files().get(0))).as("frames in the dropped capture's file").isEmpty();
            }
        }
    }

    @Test
    void aDroppedCaptureReleasesItsHandleAndThreadSoonAfterDropReturnsWithTheFileComplete() throws Exception {
        try (DatagramSocket rx = bound()) {
            int socketsBefore = ProcessResources.openSockets();
            var threadsBefore = ProcessResources.liveThreads();
            Connection c = open("udp port " + rx.getLocalPort(), "delayed");
            c.connect();
            CaptureControl control = c.unwrap(CaptureControl.class);
            control.start();
            send(rx.getLocalPort(), 5);
            CaptureDeviceTest.await(() -> control.statistics().framesSeen() == 5);
            assertThat(ProcessResources.openSockets()).as("the capture's packet socket").isEqualTo(socketsBefore + 1);
            assertThat(c.drop()).isDropped();
            // drop() returns once the file is closed; the handle (its packet socket and kernel ring) is released by
            // the capture thread right after, at the lowest priority
            assertThat(PcapFiles.read(control.files().get(0))).hasSize(5);
            assertThat(ProcessResources.awaitCondition(() -> ProcessResources.openSockets() == socketsBefore,
                    Duration.ofSeconds(5))).as("the packet socket closed after the drop").isTrue();
            assertThat(ProcessResources.awaitCondition(() -> ProcessResources.threadsNotIn(threadsBefore).isEmpty(),
                    Duration.ofSeconds(5))).as("threads left: %s", ProcessResources.names(ProcessResources
                            .threadsNotIn(threadsBefore))).isTrue();
        }
    }

    @Test
    void disconnectWhileCapturingIsRefusedAndTheCaptureKeepsCounting() throws Exception {
        try (DatagramSocket rx = bound()) {
            Connection c = open("udp port " + rx.getLocalPort(), "statistics");
            c.connect();
            CaptureControl control = c.unwrap(CaptureControl.class);
            control.start();
            send(rx.getLocalPort(), 5);
            CaptureDeviceTest.await(() -> control.statistics().framesSeen() == 5);
            assertThatUnplugThrownBy(() -> c.disconnect(Duration.ofSeconds(2))).hasKind(ErrorKind.CAPTURING);
            send(rx.getLocalPort(), 5);
            CaptureDeviceTest.await(() -> control.statistics().framesSeen() == 10);
            control.stop();
            assertThat(c.disconnect(Duration.ofSeconds(2))).isClean();
        }
    }

    /**
     * A real overflow: the smallest ring the plugin allows and a burst far faster than the capture thread takes
     * frames. On lo the kernel sees each frame twice (sent and received; libpcap keeps one) and counts a drop for
     * either copy, so the kernel's count lies between the frames lost and twice that.
     */
    @Test
    void framesTheKernelDroppedForAFullRingAreCountedBetweenTheFramesLostAndTwiceThatOnLo() throws Exception {
        try (DatagramSocket rx = bound()) {
            Connection c = tracker.track(new CaptureProvider().open(URI.create("capture://lo"), Options.builder()
                    .set("filter", "udp port " + rx.getLocalPort()).set("mode", "statistics")
                    .set("bufferSize", "65536").set("dir", dir.toString()).build()));
            c.connect();
            CaptureControl control = c.unwrap(CaptureControl.class);
            control.start();
            int sent = 0;
            try (DatagramSocket tx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                byte[] b = new byte[1200];
                DatagramPacket p = new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), rx.getLocalPort());
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (; sent < 200_000 && System.nanoTime() < until; sent++) {
                    tx.send(p);
                }
            }
            Thread.sleep(300); // what the ring still holds is taken
            control.stop();
            CaptureStatistics s = control.statistics();
            long lost = sent - s.framesSeen();
            assertThat(lost).as("frames lost of %d sent to a 64 KiB ring (seen %d)", sent, s.framesSeen()).isPositive();
            assertThat(s.framesDroppedByKernel()).as("the kernel's count of dropped frames, for %d lost of %d sent",
                    lost, sent).isBetween(lost, 2 * lost);
            assertThat(c.disconnect(Duration.ofSeconds(2))).isClean();
        }
    }

    private Connection open(String filter, String mode) {
        return tracker.track(new CaptureProvider().open(URI.create("capture://lo"), Options.builder()
                .set("filter", filter).set("mode", mode).set("dir", dir.toString()).build()));
    }

    private static DatagramSocket bound() throws IOException {
        return new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static void send(int port, int n) throws IOException {
        try (DatagramSocket tx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int i = 0; i < n; i++) {
                byte[] b = ("datagram " + i).getBytes(StandardCharsets.UTF_8);
                tx.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    /** Whether this process may capture: root, or CAP_NET_RAW in its effective capabilities. */
    static boolean canCapture() {
        return ProcessResources.hasCapability(ProcessResources.CAP_NET_RAW);
    }

    /** The number of frames {@code tshark -r} reads from a file; fails when tshark is missing under CI. */
    static int tsharkFrameCount(Path file) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields", "-e",
                    "frame.number")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("tshark is not installed (scripts/servers.sh install)", e);
            }
            assumeTrue(false, "tshark is not installed (apt-get install tshark)");
            return -1;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        assertThat(p.exitValue()).as("tshark's exit status").isZero();
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }
}
