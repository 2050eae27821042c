package dev.unplug.capture;

import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.api.capture.CaptureMode;
import dev.unplug.api.capture.CaptureState;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.UnplugExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every cell of the capture device's refusal table (SEMANTICS.md section 3), on an offline source replayed at
 * 200 frames a second so that a capture is still running while the calls are made. Each refused call changes
 * neither the capture state nor the connection state, and a refused disconnect leaves the capture counting.
 */
@ExtendWith(UnplugExtension.class)
class CaptureRefusalTableTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private ConnectionTracker tracker;
    private Connection device;
    private CaptureControl control;
    private CaptureControl other;

    @BeforeEach
    void open(ConnectionTracker t) {
        PcapFiles.requireLibpcap();
        tracker = t;
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 2_000);
        device = t.track(new CaptureProvider().open(URI.create("capture://offline"), Options.builder()
                .set("file", source.toString()).set("dir", dir.toString()).set("rate", "200").build()));
        control = device.unwrap(CaptureControl.class);
        other = control.through(CaptureMode.STATISTICS);
    }

    @Test
    void everyCallIsRefusedWithNotConnectedBeforeConnect() {
        refused(control::start, ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        refused(control::pause, ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        refused(control::resume, ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        refused(control::stop, ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        refused(() -> control.disconnect(DEADLINE), ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        assertThat(device.state()).isEqualTo(ConnectionState.NOT_INITIALISED);
    }

    @Test
    void everyCallIsRefusedWithNotConnectedAfterTheEnd() {
        device.connect();
        control.start();
        device.drop();
        refused(control::start, ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        refused(control::pause, ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        refused(control::resume, ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        refused(control::stop, ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        refused(() -> control.disconnect(DEADLINE), ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
    }

    @Test
    void everyCallThroughAnotherModeIsRefusedWithWrongModeInEveryState() {
        device.connect();
        assertWrongMode(CaptureState.IDLE);
        control.start();
        assertWrongMode(CaptureState.CAPTURING);
        control.pause();
        assertWrongMode(CaptureState.PAUSED);
        control.stop();
        assertThat(control.disconnect(DEADLINE).isGraceful()).isTrue();
    }

    @Test
    void disconnectWhileCapturingOrPausedIsRefusedAndTheCaptureGoesOnUnharmed() throws Exception {
        device.connect();
        control.start();
        long before = control.statistics().framesSeen();
        refused(device::disconnect, ErrorKind.CAPTURING, CaptureState.CAPTURING);
        refused(() -> device.disconnect(DEADLINE), ErrorKind.CAPTURING, CaptureState.CAPTURING);
        refused(() -> control.disconnect(DEADLINE), ErrorKind.CAPTURING, CaptureState.CAPTURING);
        Thread.sleep(150);
        assertThat(control.statistics().framesSeen()).as("frames seen after the refusals").isGreaterThan(before);
        control.pause();
        refused(() -> device.disconnect(DEADLINE), ErrorKind.CAPTURING, CaptureState.PAUSED);
        control.stop();
        assertThat(device.disconnect(DEADLINE).isGraceful()).isTrue();
        assertThat(PcapFiles.read(control.files().get(0))).hasSize((int) control.statistics().framesWritten());
    }

    @Test
    void startIsRefusedWhileCapturingOrPaused() {
        device.connect();
        control.start();
        refused(control::start, ErrorKind.CAPTURING, CaptureState.CAPTURING);
        control.pause();
        refused(control::start, ErrorKind.CAPTURE_PAUSED, CaptureState.PAUSED);
        assertThat(control.files()).as("files: a refused start makes none").hasSize(1);
        control.stop();
        assertThat(device.disconnect(DEADLINE).isGraceful()).isTrue();
    }

    @Test
    void pauseIsRefusedWhenPausedOrNotCapturing() {
        device.connect();
        refused(control::pause, ErrorKind.NOT_CAPTURING, CaptureState.IDLE);
        control.start();
        control.pause();
        refused(control::pause, ErrorKind.CAPTURE_PAUSED, CaptureState.PAUSED);
        control.stop();
        refused(control::pause, ErrorKind.NOT_CAPTURING, CaptureState.IDLE);
        assertThat(device.disconnect(DEADLINE).isGraceful()).isTrue();
    }

    @Test
    void resumeIsRefusedUnlessPaused() {
        device.connect();
        refused(control::resume, ErrorKind.CAPTURE_NOT_PAUSED, CaptureState.IDLE);
        control.start();
        refused(control::resume, ErrorKind.CAPTURE_NOT_PAUSED, CaptureState.CAPTURING);
        control.pause();
        control.resume();
        assertThat(control.captureState()).isEqualTo(CaptureState.CAPTURING);
        control.stop();
        assertThat(device.disconnect(DEADLINE).isGraceful()).isTrue();
    }

    @Test
    void stopIsRefusedWhenNotCapturingAndAllowedWhilePaused() {
        device.connect();
        refused(control::stop, ErrorKind.NOT_CAPTURING, CaptureState.IDLE);
        control.start();
        control.pause();
        control.stop();
        assertThat(control.captureState()).isEqualTo(CaptureState.IDLE);
        refused(control::stop, ErrorKind.NOT_CAPTURING, CaptureState.IDLE);
        assertThat(device.disconnect(DEADLINE).isGraceful()).isTrue();
    }

    @Test
    void notConnectedComesBeforeWrongMode() {
        refused(other::start, ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
        refused(() -> other.disconnect(DEADLINE), ErrorKind.NOT_CONNECTED, CaptureState.IDLE);
    }

    private void assertWrongMode(CaptureState in) {
        refused(other::start, ErrorKind.WRONG_MODE, in);
        refused(other::pause, ErrorKind.WRONG_MODE, in);
        refused(other::resume, ErrorKind.WRONG_MODE, in);
        refused(other::stop, ErrorKind.WRONG_MODE, in);
        refused(() -> other.disconnect(DEADLINE), ErrorKind.WRONG_MODE, in);
        assertThat(other.mode()).isEqualTo(CaptureMode.STATISTICS);
        assertThat(other.connectedMode()).isEqualTo(CaptureMode.DELAYED);
    }

    private void refused(Executable call, ErrorKind kind, CaptureState stateBefore) {
        ConnectionState connectionBefore = device.state();
        assertThat(control.captureState()).as("capture state before the call").isEqualTo(stateBefore);
        int files = control.files().size();
        assertThatUnplugThrownBy(call::execute).hasKind(kind);
        assertThat(control.captureState()).as("capture state after a refused call").isEqualTo(stateBefore);
        assertThat(device.state()).as("connection state after a refused call").isEqualTo(connectionBefore);
        assertThat(control.files()).as("files after a refused call").hasSize(files);
    }
}
