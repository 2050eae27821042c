package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.core.PluginHost;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The demo's capture step: captures the SMTP demo's own conversation on {@code lo} (filter on the SMTP server's
 * port) into a pcap file, shows that a graceful disconnect is refused while capturing, stops, disconnects, then
 * replays the file through the same plugin (offline, REAL_TIME) to count its frames and list the SMTP commands in
 * it; a second device is dropped mid-capture. Without permission (or without libpcap) it says so in one line and
 * the demo goes on. Not thread-safe: one demo run.
 */
final class CaptureDemo {

    private static final Set<String> SMTP_COMMANDS = Set.of("EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "NOOP",
            "QUIT", "AUTH", "STARTTLS");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final PluginHost host;
    private final int port;
    private Path dir;
    private Connection device;
    private DemoRow early;

    private CaptureDemo(PluginHost host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Starts capturing traffic to and from the SMTP port, before the SMTP demo runs. */
    static CaptureDemo start(PluginHost host, int smtpPort) {
        CaptureDemo d = new CaptureDemo(host, smtpPort);
        if (!host.schemes().contains("capture")) {
            d.early = new DemoRow("capture", "not available (no capture plugin in this build)", null, null,
                    DemoRow.Result.NOT_AVAILABLE, null);
            return d;
        }
        try {
            d.dir = Files.createTempDirectory("unplug-demo-capture");
            d.device = d.live();
            d.device.connect();
            d.device.unwrap(CaptureControl.class).start();
        } catch (UnplugException e) {
            d.early = d.skipOrFail(e, "start");
        } catch (IOException e) {
            d.early = new DemoRow("capture", "no temporary folder", null, null, DemoRow.Result.FAILED,
                    Errors.unexpected(e));
        }
        return d;
    }

    /** Stops the capture after the SMTP demo and reports what the file holds. */
    DemoRow finish() {
        if (early != null) {
            close(device);
            return early;
        }
        String step = "stop";
        DisconnectOutcome graceful = null;
        DisconnectOutcome drop = null;
        try {
            CaptureControl control = device.unwrap(CaptureControl.class);
            Thread.sleep(200); // the last frames (FIN, ACK) of the SMTP conversation
            String refusal;
            try {
                device.disconnect(DemoRunner.DEADLINE);
                refusal = "a disconnect while capturing was NOT refused";
            } catch (UnplugException e) {
                refusal = e.kind() == ErrorKind.CAPTURING ? "disconnect while capturing refused (CAPTURING)"
                        : "disconnect while capturing: " + e.kind();
            }
            control.stop();
            long frames = control.statistics().framesWritten();
            Path file = control.files().get(0);
            step = "graceful disconnect";
            graceful = device.disconnect(DemoRunner.DEADLINE);
            step = "read the file back";
            List<String> commands = commandsIn(file, frames);
            step = "drop";
            Connection second = live();
            try {
                second.connect();
                second.unwrap(CaptureControl.class).start();
                drop = second.drop();
            } finally {
                second.close();
            }
            boolean expected = graceful.kind() == DisconnectOutcome.Kind.CLEAN
                    && drop.kind() == DisconnectOutcome.Kind.DROPPED && frames > 0 && commands.contains("QUIT")
                    && refusal.endsWith("(CAPTURING)");
            String work = frames + " frames of the SMTP demo on lo in " + file + "; SMTP commands seen: "
                    + String.join(", ", commands) + "; " + refusal;
            return new DemoRow("capture", work, graceful, drop, expected ? DemoRow.Result.OK
                    : DemoRow.Result.UNEXPECTED, expected ? graceful.lastReply().orElse(null)
                    : "expected frames, QUIT in them, CAPTURING, CLEAN then DROPPED");
        } catch (UnplugException e) {
            return new DemoRow("capture", step + " failed", graceful, drop, DemoRow.Result.FAILED, Errors.line(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DemoRow("capture", "interrupted", graceful, drop, DemoRow.Result.FAILED, null);
        } finally {
            close(device);
        }
    }

    private Connection live() {
        return host.open(URI.create("capture://lo"), Options.builder().set("filter", "tcp port " + port)
                .set("dir", dir.toString()).build());
    }

    private DemoRow skipOrFail(UnplugException e, String step) {
        if (e.kind() == ErrorKind.ACCESS_DENIED || e.kind() == ErrorKind.NOT_SUPPORTED) {
            return new DemoRow("capture", "skipped: " + e.getMessage(), null, null, DemoRow.Result.SKIPPED, null);
        }
        return new DemoRow("capture", step + " failed", null, null, DemoRow.Result.FAILED, Errors.line(e));
    }

    /** Replays the file through the capture plugin (offline, REAL_TIME) and lists the client's SMTP commands. */
    private List<String> commandsIn(Path file, long frames) throws InterruptedException {
        Set<String> seen = new LinkedHashSet<>();
        List<byte[]> payloads = new CopyOnWriteArrayList<>();
        Connection replay = host.open(URI.create("capture://offline"), Options.builder().set("file", file.toString())
                .set("mode", "realtime").build());
        try {
            replay.connect();
            CaptureControl control = replay.unwrap(CaptureControl.class);
            control.onFrame(f -> payloads.add(clientPayload(f.bytes())));
            control.start();
            long until = System.nanoTime() + WAIT.toNanos();
            while (control.statistics().framesWritten() < frames && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            control.stop();
            replay.disconnect(DemoRunner.DEADLINE);
        } finally {
            close(replay);
        }
        for (byte[] p : payloads) {
            for (String line : new String(p, StandardCharsets.US_ASCII).split("\r\n")) {
                String word = line.split("[ :]", 2)[0].toUpperCase(Locale.ROOT);
                if (SMTP_COMMANDS.contains(word)) {
                    seen.add(word);
                }
            }
        }
        return List.copyOf(seen);
    }

    /** The TCP payload of an Ethernet/IPv4 frame sent to the SMTP port, or nothing. */
    private byte[] clientPayload(byte[] f) {
        if (f.length < 34 || f[12] != 0x08 || f[13] != 0x00 || f[23] != 6) {
            return new byte[0];
        }
        int ip = 14;
        int l4 = ip + (f[ip] & 0x0f) * 4;
        int total = Math.min(f.length, ip + ((f[ip + 2] & 0xff) << 8 | (f[ip + 3] & 0xff)));
        if (f.length < l4 + 20 || ((f[l4 + 2] & 0xff) << 8 | (f[l4 + 3] & 0xff)) != port) {
            return new byte[0];
        }
        int data = l4 + ((f[l4 + 12] & 0xff) >>> 4) * 4;
        return data >= total ? new byte[0] : java.util.Arrays.copyOfRange(f, data, total);
    }

    private static void close(Connection c) {
        if (c != null) {
            c.close();
        }
    }
}
