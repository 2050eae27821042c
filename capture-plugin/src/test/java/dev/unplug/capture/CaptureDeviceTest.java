package dev.unplug.capture;

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.api.capture.CaptureState;
import dev.unplug.api.capture.CaptureStatistics;
import dev.unplug.api.capture.CapturedFrame;
import dev.unplug.api.capture.Conversation;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.UnplugExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Modes, triggers, files, pause and drop of the capture device, on offline sources (no root, no traffic). */
@ExtendWith(UnplugExtension.class)
class CaptureDeviceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private ConnectionTracker tracker;

    @BeforeEach
    void setUp(ConnectionTracker t) {
        PcapFiles.requireLibpcap();
        tracker = t;
    }

    // ------------------------------------------------------------------ modes

    @Test
    void delayedModeWritesEveryFrameToAValidPcapFileThatStopCloses() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 50);
        Connection c = connect(source, Map.of());
        CaptureControl control = c.unwrap(CaptureControl.class);
        control.start();
        await(() -> control.statistics().framesSeen() == 50);
        control.stop();
        CaptureStatistics s = control.statistics();
        assertThat(s.framesWritten()).isEqualTo(50);
        assertThat(s.framesSkippedWhilePaused()).isZero();
        assertThat(s.framesDroppedByKernel()).isZero();
        List<byte[]> written = PcapFiles.read(control.files().get(0));
        List<byte[]> original = PcapFiles.read(source);
        assertThat(written).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(written.get(i)).as("frame %d", i).isEqualTo(original.get(i));
        }
        assertThat(s.bytesWritten()).isEqualTo(original.stream().mapToLong(f -> f.length).sum());
        DisconnectOutcome outcome = c.disconnect(WAIT);
        assertThat(outcome).isClean().hasLastReplyContaining("closed after 1 capture");
    }

    @Test
    void realTimeModeDeliversEachFrameToTheHandlerAndWritesNoFile() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 30);
        Connection c = connect(source, Map.of("mode", "realtime"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        List<CapturedFrame> got = new CopyOnWriteArrayList<>();
        control.onFrame(got::add);
        control.start();
        await(() -> got.size() == 30);
        control.stop();
        assertThat(got).extracting(f -> new String(f.bytes(), 42, f.capturedLength() - 42, StandardCharsets.UTF_8))
                .startsWith("frame 0", "frame 1", "frame 2").hasSize(30);
        assertThat(got.get(0).linkType()).isEqualTo(Pcap.DLT_EN10MB);
        assertThat(control.statistics().framesWritten()).as("frames delivered").isEqualTo(30);
        assertThat(control.files()).isEmpty();
        assertThat(dir.resolve("in.pcap")).exists();
        assertThat(c.disconnect(WAIT)).isClean();
    }

    @Test
    void aSlowHandlerNeverBlocksCaptureAndWhatDidNotFitIsCountedAsDiscarded() throws Exception {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 500);
        Connection c = connect(source, Map.of("mode", "realtime", "queue", "4"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        List<CapturedFrame> got = new CopyOnWriteArrayList<>();
        control.onFrame(f -> {
            got.add(f);
            sleep(20);
        });
        control.start();
        await(() -> control.statistics().framesSeen() == 500);
        CaptureStatistics whileSlow = control.statistics();
        assertThat(whileSlow.framesDiscarded()).as("frames discarded while the handler was slow").isPositive();
        control.stop();
        CaptureStatistics s = control.statistics();
        assertThat(s.framesWritten() + s.framesDiscarded()).as("delivered + discarded").isEqualTo(500);
        assertThat(got).hasSize((int) s.framesWritten());
        assertThat(c.disconnect(WAIT)).isClean();
    }

    @Test
    void statisticsModeCountsFramesAndBytes() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 40);
        Connection c = connect(source, Map.of("mode", "statistics"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        control.start();
        await(() -> control.statistics().framesSeen() == 40);
        control.stop();
        long bytes = PcapFiles.read(source).stream().mapToLong(f -> f.length).sum();
        assertThat(control.statistics().bytesSeen()).isEqualTo(bytes);
        assertThat(control.statistics().framesWritten()).as("frames counted").isEqualTo(40);
        assertThat(control.files()).isEmpty();
        assertThat(control.statistics().conversations()).isEmpty();
        assertThat(c.disconnect(WAIT)).isClean();
    }

    @Test
    void conversationModeCountsEachHostPairAndPortPairBothWays() {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            frames.add(PcapFiles.tcp4("10.0.0.1", 5000, "10.0.0.2", 25, "EHLO x"));
        }
        frames.add(PcapFiles.tcp4("10.0.0.2", 25, "10.0.0.1", 5000, "250 ok"));
        frames.add(PcapFiles.udp4("10.0.0.1", 53000, "10.0.0.3", 53, "q"));
        frames.add(PcapFiles.tcp6("::1", 6000, "::1", 119, "GROUP x"));
        Path source = PcapFiles.write(dir.resolve("conv.pcap"), frames);
        Connection c = connect(source, Map.of("mode", "conversations"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        control.start();
        await(() -> control.statistics().framesSeen() == frames.size());
        control.stop();
        List<Conversation> conv = control.statistics().conversations();
        Conversation smtp = find(conv, Conversation.Kind.TCP, "10.0.0.1:5000");
        assertThat(smtp.b()).isEqualTo("10.0.0.2:25");
        assertThat(smtp.framesAtoB()).isEqualTo(3);
        assertThat(smtp.framesBtoA()).isEqualTo(1);
        assertThat(smtp.bytesAtoB()).isEqualTo(3L * frames.get(0).length);
        assertThat(smtp.bytesBtoA()).isEqualTo(frames.get(3).length);
        Conversation hosts = find(conv, Conversation.Kind.HOST_PAIR, "10.0.0.1");
        assertThat(hosts.frames()).as("frames between 10.0.0.1 and 10.0.0.2").isEqualTo(4);
        Conversation dns = find(conv, Conversation.Kind.UDP, "10.0.0.1:53000");
        assertThat(dns.b()).isEqualTo("10.0.0.3:53");
        assertThat(dns.framesAtoB()).isEqualTo(1);
        Conversation v6 = find(conv, Conversation.Kind.TCP, "[0:0:0:0:0:0:0:1]:119");
        assertThat(v6.b()).isEqualTo("[0:0:0:0:0:0:0:1]:6000");
        assertThat(v6.framesBtoA()).isEqualTo(1);
        assertThat(conv).filteredOn(x -> x.kind() == Conversation.Kind.HOST_PAIR).hasSize(3);
        assertThat(c.disconnect(WAIT)).isClean();
    }

    // ------------------------------------------------------------------ triggers

    @Test
    void stopAfterFramesStopsTheCaptureByItselfAndSaysWhy() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 100);
        Connection c = connect(source, Map.of("stopAfterFrames", "7"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        List<String> events = new CopyOnWriteArrayList<>();
        control.addCaptureListener((ctl, from, to, reason) -> events.add(from + "->" + to + ": " + reason));
        control.start();
        await(() -> control.captureState() == CaptureState.IDLE);
        assertThat(events).containsExactly("IDLE->CAPTURING: start()",
                "CAPTURING->IDLE: trigger stopAfterFrames=7 reached");
        assertThat(PcapFiles.read(control.files().get(0))).hasSize(7);
        assertThatUnplugThrownBy(control::stop).hasKind(ErrorKind.NOT_CAPTURING);
        assertThat(c.disconnect(WAIT)).isClean();
    }

    @Test
    void stopAfterBytesStopsOnceThatManyBytesWereCaptured() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 100);
        int frame = PcapFiles.read(source).get(0).length;
        Connection c = connect(source, Map.of("stopAfterBytes", String.valueOf(frame * 3 + 1)));
        CaptureControl control = c.unwrap(CaptureControl.class);
        control.start();
        await(() -> control.captureState() == CaptureState.IDLE);
        assertThat(control.statistics().framesWritten()).isEqualTo(4);
        assertThat(PcapFiles.read(control.files().get(0))).hasSize(4);
        assertThat(c.disconnect(WAIT)).isClean();
    }

    @Test
    void stopAfterADurationStopsAQuietCapture() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 3);
        Connection c = connect(source, Map.of("stopAfter", "300ms"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        List<String> reasons = new CopyOnWriteArrayList<>();
        control.addCaptureListener((ctl, from, to, reason) -> reasons.add(reason));
        control.start();
        await(() -> control.captureState() == CaptureState.IDLE);
        assertThat(reasons).last().isEqualTo("trigger stopAfter=300ms reached");
        assertThat(PcapFiles.read(control.files().get(0))).hasSize(3);
        assertThat(c.disconnect(WAIT)).isClean();
    }

    @Test
    void pauseOnPatternPausesAfterTheMatchingFrameAndLaterFramesAreNotWritten() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 30);
        Connection c = connect(source, Map.of("pauseOnPattern", "frame 9"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        List<String> events = new CopyOnWriteArrayList<>();
        control.addCaptureListener((ctl, from, to, reason) -> events.add(to + ": " + reason));
        control.start();
        await(() -> control.statistics().framesSeen() == 30);
        assertThat(control.captureState()).isEqualTo(CaptureState.PAUSED);
        assertThat(events).contains("PAUSED: trigger pauseOnPattern matched frame 10");
        control.stop();
        assertThat(control.statistics().framesWritten()).isEqualTo(10);
        assertThat(control.statistics().framesSkippedWhilePaused()).isEqualTo(20);
        assertThat(PcapFiles.read(control.files().get(0))).hasSize(10);
        assertThat(c.disconnect(WAIT)).isClean();
    }

    // ------------------------------------------------------------------ pause, files, drop

    @Test
    void framesSeenWhilePausedAreCountedAndNotWritten() throws Exception {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 150);
        Connection c = connect(source, Map.of("rate", "300"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        control.start();
        await(() -> control.statistics().framesSeen() >= 20);
        control.pause();
        long atPause = control.statistics().framesWritten();
        await(() -> control.statistics().framesSkippedWhilePaused() >= 20);
        assertThat(control.statistics().framesWritten()).as("written while paused").isEqualTo(atPause);
        control.resume();
        await(() -> control.statistics().framesSeen() == 150);
        control.stop();
        CaptureStatistics s = control.statistics();
        assertThat(s.framesWritten() + s.framesSkippedWhilePaused()).isEqualTo(150);
        assertThat(s.framesWritten()).isGreaterThan(atPause);
        assertThat(control.files()).as("pause and resume keep one file").hasSize(1);
        assertThat(PcapFiles.read(control.files().get(0))).hasSize((int) s.framesWritten());
        assertThat(c.disconnect(WAIT)).isClean();
    }

    @Test
    void eachStartWritesANewFileAndNeverOverwritesAnEarlierOne() throws Exception {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 5);
        Connection c = connect(source, Map.of());
        CaptureControl control = c.unwrap(CaptureControl.class);
        for (int i = 0; i < 4; i++) {
            control.start();
            await(() -> control.statistics().framesSeen() == 5);
            control.stop();
        }
        List<Path> files = control.files();
        assertThat(new HashSet<>(files)).as("distinct files").hasSize(4);
        for (Path f : files) {
            assertThat(f.getFileName().toString()).startsWith("capture-offline-").endsWith(".pcap");
            assertThat(f.getParent()).isEqualTo(dir);
            assertThat(PcapFiles.read(f)).as("frames in %s", f).hasSize(5);
        }
        assertThat(c.disconnect(WAIT)).isClean().hasLastReplyContaining("closed after 4 captures");
    }

    @Test
    void dropWhileCapturingReturnsPromptlyAndLeavesAValidFile() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 1_000);
        Connection c = connect(source, Map.of("rate", "500"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        List<String> events = new CopyOnWriteArrayList<>();
        control.addCaptureListener((ctl, from, to, reason) -> events.add(to + ": " + reason));
        control.start();
        await(() -> control.statistics().framesSeen() >= 10);
        DisconnectOutcome outcome = c.drop();
        assertThat(outcome).isDropped().tookLessThan(Duration.ofMillis(500));
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(control.captureState()).isEqualTo(CaptureState.IDLE);
        assertThat(events).last().asString().startsWith("IDLE: dropped");
        long written = control.statistics().framesWritten();
        assertThat(PcapFiles.read(control.files().get(0))).hasSize((int) written);
    }

    @Test
    void anAbortNeverWaitsForTheCaptureThreadsAndDropWaitsForThemOnItsCallersThread() throws Exception {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 1_000);
        Connection c = connect(source, Map.of("mode", "realtime", "rate", "500"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        List<String> events = new CopyOnWriteArrayList<>();
        control.addCaptureListener((ctl, from, to, reason) -> events.add(to + ": " + reason));
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch abortReturned = new CountDownLatch(1);
        control.onFrame(f -> {
            inHandler.countDown();
            try {
                abortReturned.await(10, TimeUnit.SECONDS); // the delivery thread is held until the abort returns
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        control.start();
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).as("a frame reached the handler").isTrue();
        CaptureConnection device = (CaptureConnection) c;
        // what the deadline thread calls: it must not wait for the delivery thread that the handler holds
        Thread aborter = new Thread(() -> {
            device.abortTransport(false);
            abortReturned.countDown();
        }, "aborter");
        List<String> waits = new CopyOnWriteArrayList<>();
        aborter.start();
        while (aborter.isAlive()) {
            for (StackTraceElement e : aborter.getStackTrace()) {
                if (e.getMethodName().equals("join") || e.getMethodName().equals("awaitExit")) {
                    waits.add(e.toString());
                }
            }
            aborter.join(1);
        }
        assertThat(waits).as("frames where the abort waited for a capture thread").isEmpty();
        assertThat(abortReturned.getCount()).isZero();
        DisconnectOutcome outcome = c.drop();
        assertThat(outcome).isDropped();
        assertThat(control.captureState()).as("drop() returns once the threads have exited").isEqualTo(CaptureState.IDLE);
        assertThat(events).last().asString().startsWith("IDLE: dropped");
    }

    @Test
    void closeWhileCapturingDropsInsteadOfThrowing() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 1_000);
        Connection c = connect(source, Map.of("rate", "500"));
        CaptureControl control = c.unwrap(CaptureControl.class);
        control.start();
        c.close();
        assertThat(c.outcome()).hasValueSatisfying(o -> assertThat(o).isDropped());
        assertThat(PcapFiles.read(control.files().get(0))).hasSize((int) control.statistics().framesWritten());
    }

    @Test
    void aFrameHandlerOnlyGoesToARealTimeDevice() {
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 5);
        Connection d = connect(source, Map.of());
        CaptureControl delayed = d.unwrap(CaptureControl.class);
        assertThatUnplugThrownBy(() -> delayed.onFrame(f -> { })).hasKind(ErrorKind.WRONG_MODE);
        assertThat(d.disconnect(WAIT)).isClean();
        Connection rt = connect(source, Map.of("mode", "realtime"));
        CaptureControl control = rt.unwrap(CaptureControl.class);
        assertThatUnplugThrownBy(control::start).hasKind(ErrorKind.INVALID_STATE).messageContains("onFrame");
        assertThatUnplugThrownBy(() -> control.onFrame(null)).hasKind(ErrorKind.NULL_ARGUMENT);
        assertThat(rt.disconnect(WAIT)).isClean();
    }

    // ------------------------------------------------------------------ helpers

    private Connection connect(Path source, Map<String, String> extra) {
        Options.Builder b = Options.builder().set("file", source.toString()).set("dir", dir.toString());
        extra.forEach(b::set);
        Connection c = tracker.track(new CaptureProvider().open(URI.create("capture://offline"), b.build()));
        c.connect();
        return c;
    }

    private static Conversation find(List<Conversation> all, Conversation.Kind kind, String a) {
        return all.stream().filter(x -> x.kind() == kind && x.a().equals(a)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " conversation from " + a + " in " + all));
    }

    static void await(BooleanSupplier condition) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within " + WAIT.toSeconds() + " s");
            }
            sleep(5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
