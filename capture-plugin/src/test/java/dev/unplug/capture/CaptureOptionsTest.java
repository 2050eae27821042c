package dev.unplug.capture;

import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.api.capture.CaptureMode;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.UnplugExtension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every option is checked before anything opens, and each bad value is a typed error that names it. */
@ExtendWith(UnplugExtension.class)
class CaptureOptionsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "capture://lo?snaplen=0                  | snaplen",
        "capture://lo?snaplen=262145             | snaplen",
        "capture://lo?snaplen=big                | snaplen",
        "capture://lo?bufferSize=-1              | bufferSize",
        "capture://lo?bufferSize=2048m           | bufferSize",
        "capture://lo?promiscuous=maybe          | promiscuous",
        "capture://lo?readTimeout=5s             | readTimeout",
        "capture://lo?readTimeout=0ms            | readTimeout",
        "capture://lo?mode=sideways              | mode",
        "capture://lo?queue=0                    | queue",
        "capture://lo?stopAfterFrames=0          | stopAfterFrames",
        "capture://lo?stopAfterBytes=x           | stopAfterBytes",
        "capture://lo?stopAfter=never            | stopAfter",
        "capture://lo?pauseOnPattern=            | pauseOnPattern",
        "capture://lo?rate=10                    | rate",
        "capture://lo?file=/tmp/x.pcap           | not both",
        "capture://bad%20name                    | network interface name",
        "capture://eth0-with-a-very-long-name    | network interface name",
        "capture://offline                       | offline source",
        "capture:mailto:x@example.com            | capture://INTERFACE",
    })
    void aBadValueIsRefusedByOpenNamingIt(String uri, String named) {
        assertThatUnplugThrownBy(() -> new CaptureProvider().open(URI.create(uri), Options.empty()))
                .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains(named);
    }

    @Test
    void aSchemeThePluginDoesNotServeIsInvalid() {
        assertThatUnplugThrownBy(() -> new CaptureProvider().open(URI.create("pcap://lo"), Options.empty()))
                .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("capture: URIs");
    }

    @Test
    void goodValuesAreAcceptedWithoutOpeningAnything(ConnectionTracker tracker) {
        Connection c = tracker.track(new CaptureProvider().open(URI.create("capture://lo?filter=tcp%20port%2025"
                + "&snaplen=65535&promiscuous=false&bufferSize=4m&readTimeout=50ms&mode=conversations&queue=16"
                + "&stopAfterFrames=10&stopAfterBytes=1k&stopAfter=2s&pauseOnPattern=QUIT"), Options.empty()));
        assertThat(c.state()).isEqualTo(ConnectionState.NOT_INITIALISED);
        assertThat(c.unwrap(CaptureControl.class).mode()).isEqualTo(CaptureMode.CONVERSATION_STATISTICS);
        c.close();
    }

    @Test
    void anUnknownInterfaceIsRefusedAtConnectBeforeAnythingOpens(ConnectionTracker tracker) {
        PcapFiles.requireLibpcap();
        Connection c = tracker.track(new CaptureProvider().open(URI.create("capture://nosuch0"), Options.empty()));
        assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.INVALID_ARGUMENT)
                .messageContains("no network interface named nosuch0").messageContains("lo");
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void aFilterThatDoesNotCompileIsRefusedWithLibpcapsOwnMessage(ConnectionTracker tracker) {
        PcapFiles.requireLibpcap();
        Connection live = tracker.track(new CaptureProvider().open(URI.create("capture://lo?filter=tcp%20prot%2025"),
                Options.empty()));
        assertThatUnplugThrownBy(live::connect).hasKind(ErrorKind.INVALID_ARGUMENT)
                .messageContains("capture filter 'tcp prot 25' does not compile").messageContains("syntax error");
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 3);
        Connection offline = tracker.track(new CaptureProvider().open(URI.create("capture://offline"),
                Options.builder().set("file", source.toString()).set("filter", "udp port").build()));
        assertThatUnplugThrownBy(offline::connect).hasKind(ErrorKind.INVALID_ARGUMENT)
                .messageContains("does not compile");
        assertThat(offline.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void aMissingOrForeignOfflineFileIsInvalid(ConnectionTracker tracker) throws Exception {
        PcapFiles.requireLibpcap();
        Connection missing = tracker.track(new CaptureProvider().open(URI.create("capture:file:///nonexistent/in.pcap"),
                Options.empty()));
        assertThatUnplugThrownBy(missing::connect).hasKind(ErrorKind.INVALID_ARGUMENT)
                .messageContains("/nonexistent/in.pcap");
        Path text = Files.writeString(dir.resolve("notes.pcap"), "not a capture file at all");
        Connection foreign = tracker.track(new CaptureProvider().open(URI.create("capture://offline"),
                Options.builder().set("file", text.toString()).build()));
        assertThatUnplugThrownBy(foreign::connect).hasKind(ErrorKind.INVALID_ARGUMENT)
                .messageContains("not a capture file libpcap can read");
    }

    @Test
    void theOpaqueFileFormReplaysTheFile(ConnectionTracker tracker) {
        PcapFiles.requireLibpcap();
        Path source = PcapFiles.numbered(dir.resolve("in.pcap"), 4);
        Connection c = tracker.track(new CaptureProvider().open(URI.create("capture:" + source.toUri()),
                Options.builder().set("dir", dir.toString()).set("mode", "statistics").build()));
        c.connect();
        CaptureControl control = c.unwrap(CaptureControl.class);
        control.start();
        CaptureDeviceTest.await(() -> control.statistics().framesSeen() == 4);
        control.stop();
        assertThat(c.disconnect().isGraceful()).isTrue();
    }
}
