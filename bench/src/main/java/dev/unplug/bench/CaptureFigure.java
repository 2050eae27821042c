package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.api.capture.CaptureStatistics;
import dev.unplug.core.PluginHost;
import dev.unplug.testkit.ProcessResources;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The capture figure: a steady flood of UDP datagrams to a loopback port (bounded in count and time), captured to a
 * pcap file on {@code lo} by the capture plugin, and by {@code tcpdump -w} with the same filter, snap length and
 * kernel buffer, alternately. Counts the frames in each file (read back here) against the datagrams sent, and the
 * plugin's own count of frames seen against the frames in its file. Needs root or CAP_NET_RAW, libpcap and tcpdump.
 */
final class CaptureFigure implements Figure {

    private static final int PAYLOAD = 200;
    /** Frames a second the flood is paced at: below what one sending thread reaches here (about 250,000). */
    private static final long RATE = 150_000;
    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped by kernel");

    @Override
    public String name() {
        return "capture";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int count = quick ? 20_000 : 400_000;
        int rounds = quick ? 1 : 3;
        Result r = new Result(name(), "Capture to file on lo under a UDP flood",
                "`tcpdump -w` (Debian's tcpdump) on the same traffic, same filter, snap length and 32 MiB buffer",
                ">= 0.8x tcpdump's captured rate; 0 frames lost between capture and file");
        r.settings = Stats.f("%,d UDP datagrams of %d bytes from one thread to 127.0.0.1, paced at %,d a second"
                + " (stopped at 10 s), %d rounds of each, alternating; filter `udp and dst port P`", count, PAYLOAD,
                RATE, rounds);
        Path tcpdump = Stream.of("/usr/bin/tcpdump", "/usr/sbin/tcpdump").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (!ProcessResources.hasCapability(ProcessResources.CAP_NET_RAW)) {
            r.verdict = Result.Verdict.NOT_RUN;
            return r.note("needs root or CAP_NET_RAW for a live capture on lo; not run");
        }
        if (tcpdump == null) {
            r.verdict = Result.Verdict.NOT_RUN;
            return r.note("the anchor needs tcpdump: apt-get install tcpdump (scripts/servers.sh install does)");
        }
        r.header("round", "capturer", "datagrams sent", "send rate", "frames in file", "captured rate",
                "dropped by kernel", "seen by capture - in file");
        Path dir = Files.createTempDirectory("unplug-bench-capture");
        double worstRatio = Double.MAX_VALUE;
        long lost = 0;
        try (PluginHost host = PluginHost.builder().build(); DatagramChannel sink = DatagramChannel.open()) {
            sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // never read: frames still pass lo
            int port = ((InetSocketAddress) sink.getLocalAddress()).getPort();
            String filter = "udp and dst port " + port;
            for (int round = 1; round <= rounds; round++) {
                // Unplug
                Path ours = Files.createDirectories(dir.resolve("unplug-" + round));
                Connection device = host.open("capture://lo", Options.builder().set("filter", filter)
                        .set("dir", ours.toString()).set("bufferSize", "32m").set("snaplen", "262144").build());
                long[] flood;
                CaptureStatistics stats;
                List<Path> files;
                try {
                    device.connect();
                    CaptureControl control = device.unwrap(CaptureControl.class);
                    control.start();
                    Thread.sleep(300);
                    flood = flood(port, count);
                    Thread.sleep(500);
                    control.stop();
                    stats = control.statistics();
                    files = control.files();
                    DisconnectOutcome o = device.disconnect();
                    if (o.kind() != DisconnectOutcome.Kind.CLEAN) {
                        throw new IllegalStateException("the capture device ended " + o);
                    }
                } catch (UnplugException e) {
                    if (e.kind() == ErrorKind.NOT_SUPPORTED || e.kind() == ErrorKind.ACCESS_DENIED) {
                        r.verdict = Result.Verdict.NOT_RUN;
                        return r.note("the capture plugin cannot capture here: " + e.getMessage());
                    }
                    throw e;
                } finally {
                    device.close();
                }
                long inFile = 0;
                for (Path f : files) {
                    inFile += frames(f);
                }
                long unplugSeenMinusFile = stats.framesSeen() - inFile;
                lost += Math.abs(unplugSeenMinusFile);
                row(r, round, "Unplug capture plugin", flood, inFile, stats.framesDroppedByKernel(),
                        String.valueOf(unplugSeenMinusFile));
                double unplugRate = inFile / (flood[1] / 1e9);

                // tcpdump
                Path theirs = dir.resolve("tcpdump-" + round + ".pcap");
                Path log = dir.resolve("tcpdump-" + round + ".log");
                Process p = new ProcessBuilder(tcpdump.toString(), "-i", "lo", "-n", "-s", "262144", "-B", "32768",
                        "-w", theirs.toString(), filter).redirectErrorStream(true).redirectOutput(log.toFile())
                        .start();
                awaitListening(log, p);
                Thread.sleep(300);
                long[] theirFlood = flood(port, count);
                Thread.sleep(500);
                p.destroy(); // SIGTERM to the tcpdump this run started: it flushes its file and prints its counts
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("tcpdump did not stop within 10 s of SIGTERM");
                }
                String said = Files.readString(log, StandardCharsets.UTF_8);
                Matcher m = DROPPED.matcher(said);
                long theirInFile = frames(theirs);
                row(r, round, "tcpdump -w", theirFlood, theirInFile, m.find() ? Long.parseLong(m.group(1)) : -1, "");
                double theirRate = theirInFile / (theirFlood[1] / 1e9);
                worstRatio = Math.min(worstRatio, unplugRate / theirRate);
            }
        } finally {
            Bench.deleteTree(dir);
        }
        r.judge(worstRatio >= 0.8 && lost == 0);
        r.note(Stats.f("worst round: Unplug captured %s tcpdump's rate (goal >= 0.80x); frames seen by the plugin"
                + " but not in its file: %d", Stats.x(worstRatio), lost));
        return r;
    }

    private static void row(Result r, int round, String who, long[] flood, long inFile, long droppedByKernel,
            String lost) {
        double seconds = flood[1] / 1e9;
        r.row(String.valueOf(round), who, Stats.f("%,d", flood[0]), Stats.f("%,.0f /s", flood[0] / seconds),
                Stats.f("%,d (%.1f %%)", inFile, 100.0 * inFile / flood[0]), Stats.f("%,.0f /s", inFile / seconds),
                droppedByKernel < 0 ? "?" : Stats.f("%,d", droppedByKernel), lost);
    }

    /** Sends up to {@code count} datagrams (at most 10 s); returns {sent, nanos}. */
    private static long[] flood(int port, int count) throws IOException {
        try (DatagramChannel out = DatagramChannel.open()) {
            out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
            long t0 = System.nanoTime();
            long until = t0 + TimeUnit.SECONDS.toNanos(10);
            int sent = 0;
            while (sent < count && System.nanoTime() - until < 0) {
                payload.clear();
                payload.putInt(0, sent);
                sent += out.write(payload) > 0 ? 1 : 0;
                if ((sent & 63) == 0) {
                    // steady: at most RATE frames a second, so that both capturers see the same flood whatever
                    // CPU they take from the sending thread
                    long ahead = t0 + sent * 1_000_000_000L / RATE - System.nanoTime();
                    if (ahead > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(ahead);
                    }
                }
            }
            return new long[] {sent, System.nanoTime() - t0};
        }
    }

    private static void awaitListening(Path log, Process p) throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - until < 0) {
            if (Files.readString(log, StandardCharsets.UTF_8).contains("listening on")) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("tcpdump ended before listening: "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            Thread.sleep(10);
        }
        p.destroyForcibly();
        throw new IllegalStateException("tcpdump did not start listening within 10 s");
    }

    /** The frames in a pcap file (classic format, either byte order, micro or nanosecond). */
    static long frames(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file),
                1 << 16))) {
            byte[] header = new byte[24];
            in.readFully(header);
            int magic = ByteBuffer.wrap(header).getInt();
            boolean big = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d;
            boolean little = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
            if (!big && !little) {
                throw new IOException(file + " is not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
            }
            long frames = 0;
            byte[] record = new byte[16];
            while (true) {
                try {
                    in.readFully(record);
                } catch (EOFException end) {
                    return frames;
                }
                ByteBuffer b = ByteBuffer.wrap(record).order(big ? java.nio.ByteOrder.BIG_ENDIAN
                        : java.nio.ByteOrder.LITTLE_ENDIAN);
                int captured = b.getInt(8);
                in.skipNBytes(captured);
                frames++;
            }
        }
    }
}
