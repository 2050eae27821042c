package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.core.PluginHost;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The deadline figure with device aborts: 50 POP3 connections to a server that never answers {@code QUIT} disconnect
 * with a 200 ms deadline, at the same moment as device connections whose ends fall on the same instant:
 * <ul>
 *   <li>20 wds clients disconnecting with the same deadline from a real wds server (a child JVM on {@code lo}) that
 *       hangs (SIGSTOP) before the round: their leaves are never acknowledged, so each escalates and the deadline
 *       thread aborts it;</li>
 *   <li>20 netcon connects with a 200 ms connect timeout to veth links whose other end is down (in a namespace of
 *       this JVM): a link that never becomes operational, so the connect timer aborts each on the deadline thread
 *       (the abort's {@code ip link set ... down} runs on the clean-up thread);</li>
 *   <li>20 live captures on {@code lo}, each capturing real datagrams, dropped by their own threads at the deadline
 *       instant (a capture device's goodbye is local and refused while capturing, so the deadline thread meets a
 *       capture's abort only when a connect times out, which cannot be timed to an instant; the drops load the
 *       machine at that instant instead: breakloop, flush, close).</li>
 * </ul>
 * Anchor in the same run: the same 50 socket disconnects with no device, rounds interleaved. Needs root (namespaces,
 * live capture).
 */
final class AbortFigure implements Figure {

    private static final Duration DEADLINE = Duration.ofMillis(200);
    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int SOCKETS = 50;
    private static final int DEVICES = 20;
    /** Which devices join the sockets (all by default): for finding which one costs the sockets time. */
    private static final String KINDS = System.getProperty("unplug.bench.aborts.devices", "wds,netcon,capture");

    @Override
    public String name() {
        return "aborts";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int rounds = quick ? 2 : 10;
        Result r = new Result(name(), "Deadline accuracy with device aborts at the same moment",
                "the same 50 socket disconnects with no device, rounds interleaved",
                "the sockets' p99 return <= deadline + 10 ms (210 ms) with 60 device aborts at the same moment");
        r.settings = Stats.f("%d rounds of each, interleaved; per round %d POP3 connections to a peer in a child"
                + " process that answers the greeting and never QUIT, disconnect(200 ms) each from its own thread, all"
                + " released together; with devices, at the same moment: %d wds disconnect(200 ms) from a hung server,"
                + " %d netcon connects (connectTimeout 200 ms) to links that never come up, %d live captures on lo"
                + " dropped at the 200 ms instant", rounds, SOCKETS, DEVICES, DEVICES, DEVICES);
        String problem = Lan.problem();
        if (problem != null) {
            r.verdict = Result.Verdict.NOT_RUN;
            return r.note("not run: " + problem);
        }
        Path dir = Files.createTempDirectory("unplug-bench-aborts");
        Path file = Bench.randomFile(dir.resolve("hold.bin"), 1 << 20, 7);
        List<long[]> alone = new ArrayList<>();
        List<long[]> beside = new ArrayList<>();
        Map<String, Integer> socketOutcomes = new TreeMap<>();
        Map<String, Integer> wdsOutcomes = new TreeMap<>();
        Map<String, Integer> netconOutcomes = new TreeMap<>();
        Map<String, Integer> captureOutcomes = new TreeMap<>();
        List<long[]> wdsTimes = new ArrayList<>();
        List<long[]> netconTimes = new ArrayList<>();
        List<long[]> captureTimes = new ArrayList<>();
        try (PeerProcesses peers = PeerProcesses.start(); Lan links = Lan.links(DEVICES);
                LanFigure.Child wds = LanFigure.Child.start(new ProcessBuilder(LanFigure.java("wds-hold",
                        file.toString())), dir.resolve("wds-hold.log"));
                PluginHost host = PluginHost.builder().build();
                DatagramChannel sink = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open()) {
            String wdsUri = wds.expect("uri ", Duration.ofSeconds(60));
            sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // never read: frames still pass lo
            int sinkPort = ((InetSocketAddress) sink.getLocalAddress()).getPort();
            String pop3 = "pop3://127.0.0.1:" + peers.silent;
            try {
                host.open("capture://lo", Options.empty()).close(); // loads libpcap before the first round
                for (int round = -1; round < rounds; round++) {
                    long[] a = sockets(host, pop3, socketOutcomes, round >= 0);
                    Devices d = devices(host, wdsUri, links, sinkPort, dir);
                    Traffic traffic = new Traffic(sender, sinkPort);
                    wds.signal("STOP");
                    long[] b;
                    try {
                        b = together(host, pop3, d, socketOutcomes, round >= 0);
                    } finally {
                        wds.signal("CONT");
                        traffic.stop();
                        d.closeAll();
                    }
                    if (round >= 0) {
                        alone.add(a);
                        beside.add(b);
                        d.count(wdsOutcomes, netconOutcomes, captureOutcomes);
                        wdsTimes.add(d.wdsNanos);
                        netconTimes.add(d.netconNanos);
                        captureTimes.add(d.captureNanos);
                    }
                }
            } catch (UnplugException e) {
                if (e.kind() == ErrorKind.NOT_SUPPORTED || e.kind() == ErrorKind.ACCESS_DENIED) {
                    r.verdict = Result.Verdict.NOT_RUN;
                    return r.note("not run: a device cannot be used here: " + e.getMessage());
                }
                throw e;
            } finally {
                wds.send("stop");
            }
        } finally {
            Bench.deleteTree(dir);
        }
        long[] withDevices = Stats.sorted(concat(beside));
        long[] without = Stats.sorted(concat(alone));
        r.header("connections", "median", "p99", "max", "samples", "outcomes");
        row(r, "50 POP3 disconnect(200 ms), no device", without, "see the note below");
        row(r, "50 POP3 disconnect(200 ms) beside 60 device aborts", withDevices, "see the note below");
        row(r, "20 wds disconnect(200 ms), server hung", Stats.sorted(concat(wdsTimes)), wdsOutcomes.toString());
        row(r, "20 netcon connect, timeout 200 ms, link never up", Stats.sorted(concat(netconTimes)),
                netconOutcomes.toString());
        row(r, "20 live captures on lo dropped at 200 ms (the drop call)", Stats.sorted(concat(captureTimes)),
                captureOutcomes.toString());
        r.note("socket outcomes over both variants: " + socketOutcomes);
        r.series("aborts: 200 ms disconnects of 50 sockets", "no device", without);
        r.series("aborts: 200 ms disconnects of 50 sockets", "beside 60 device aborts", withDevices);
        long p99 = Stats.p99(withDevices);
        boolean allEscalated = socketOutcomes.size() == 1 && socketOutcomes.containsKey("ESCALATED");
        r.judge(p99 <= DEADLINE.toNanos() + SLACK_NANOS && allEscalated);
        r.note(Stats.f("sockets beside device aborts: p99 %s against a goal of %s (no device: p99 %s)",
                Stats.ms(p99), Stats.ms(DEADLINE.toNanos() + SLACK_NANOS), Stats.ms(Stats.p99(without))));
        r.note("How: an abort on the deadline thread only closes what it must (a socket, a channel) and hands slow"
                + " clean-up (netcon's ip link set down, capture's flush) to the clean-up thread; drop() waits for"
                + " that clean-up on its own caller's thread.");
        return r;
    }

    private static void row(Result r, String what, long[] sorted, String outcomes) {
        r.row(what, Stats.ms(Stats.median(sorted)), Stats.ms(Stats.p99(sorted)), Stats.ms(sorted[sorted.length - 1]),
                Integer.toString(sorted.length), outcomes);
    }

    private static long[] concat(List<long[]> parts) {
        int n = 0;
        for (long[] p : parts) {
            n += p.length;
        }
        long[] all = new long[n];
        int i = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, i, p.length);
            i += p.length;
        }
        return all;
    }

    private static List<Connection> connected(PluginHost host, String uri) {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            Connection c = host.open(uri, Options.empty());
            c.connect();
            all.add(c);
        }
        return all;
    }

    /** The 50 socket disconnects alone: the nanos of each call. */
    private static long[] sockets(PluginHost host, String uri, Map<String, Integer> outcomes, boolean judged)
            throws InterruptedException {
        List<Connection> all = connected(host, uri);
        long[] took = new long[SOCKETS];
        String[] kinds = new String[SOCKETS];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            threads.add(disconnecting(all.get(i), go, took, kinds, i, "socket"));
        }
        go.countDown();
        join(threads);
        if (judged) {
            count(outcomes, kinds);
        }
        return took;
    }

    /** The 50 socket disconnects released with every device's ending: the nanos of each socket's call. */
    private static long[] together(PluginHost host, String uri, Devices d, Map<String, Integer> outcomes,
            boolean judged) throws InterruptedException {
        List<Connection> all = connected(host, uri);
        long[] took = new long[SOCKETS];
        String[] kinds = new String[SOCKETS];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            threads.add(disconnecting(all.get(i), go, took, kinds, i, "socket"));
        }
        for (int i = 0; i < DEVICES && KINDS.contains("wds"); i++) {
            threads.add(disconnecting(d.wds.get(i), go, d.wdsNanos, d.wdsKinds, i, "wds"));
        }
        for (int i = 0; i < DEVICES && KINDS.contains("netcon"); i++) {
            int k = i;
            threads.add(started("netcon-" + i, go, () -> {
                long t0 = System.nanoTime();
                try {
                    d.netcon.get(k).connect();
                    d.netconKinds[k] = "CONNECTED";
                } catch (UnplugException e) {
                    d.netconKinds[k] = e.kind().name();
                }
                d.netconNanos[k] = System.nanoTime() - t0;
            }));
        }
        for (int i = 0; i < DEVICES && KINDS.contains("capture"); i++) {
            int k = i;
            threads.add(started("capture-" + i, go, () -> {
                LockSupport.parkNanos(DEADLINE.toNanos()); // the instant the others' deadlines fall on
                long t0 = System.nanoTime();
                DisconnectOutcome o = d.capture.get(k).drop();
                d.captureNanos[k] = System.nanoTime() - t0;
                d.captureKinds[k] = o.kind().name();
            }));
        }
        go.countDown();
        join(threads);
        if (judged) {
            count(outcomes, kinds);
        }
        return took;
    }

    private static Thread disconnecting(Connection c, CountDownLatch go, long[] took, String[] kinds, int i,
            String what) {
        return started(what + "-" + i, go, () -> {
            long t0 = System.nanoTime();
            DisconnectOutcome o = c.disconnect(DEADLINE);
            took[i] = System.nanoTime() - t0;
            kinds[i] = o.kind().name();
        });
    }

    private static Thread started(String name, CountDownLatch go, Runnable work) {
        Thread t = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            work.run();
        }, "unplug-bench-aborts-" + name);
        t.start();
        return t;
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " had not returned after 30 s");
            }
        }
    }

    private static void count(Map<String, Integer> into, String[] kinds) {
        for (String k : kinds) {
            into.merge(k == null ? "none" : k, 1, Integer::sum);
        }
    }

    private static Devices devices(PluginHost host, String wdsUri, Lan links, int sinkPort, Path dir)
            throws Exception {
        Devices d = new Devices();
        try {
            for (int i = 0; i < DEVICES; i++) {
                Path out = Files.createDirectories(dir.resolve("wds-" + i));
                Connection w = host.open(wdsUri, Options.builder().set("out", out.toString()).set("name", "b" + i)
                        .build());
                d.wds.add(w);
                w.connect();
                d.netcon.add(host.open("netcon://va" + i + "?netns=" + links.linksNamespace(), Options.builder()
                        .set(Options.CONNECT_TIMEOUT, DEADLINE.toMillis() + "ms").build()));
                Path captured = Files.createDirectories(dir.resolve("capture-" + i));
                Connection c = host.open("capture://lo", Options.builder().set("filter", "udp and dst port "
                        + sinkPort).set("dir", captured.toString()).build());
                d.capture.add(c);
                c.connect();
                c.unwrap(CaptureControl.class).start();
            }
        } catch (Exception | Error e) {
            d.closeAll();
            throw e;
        }
        return d;
    }

    /** The device connections of one round and what became of them. */
    private static final class Devices {
        final List<Connection> wds = new ArrayList<>();
        final List<Connection> netcon = new ArrayList<>();
        final List<Connection> capture = new ArrayList<>();
        final long[] wdsNanos = new long[DEVICES];
        final long[] netconNanos = new long[DEVICES];
        final long[] captureNanos = new long[DEVICES];
        final String[] wdsKinds = new String[DEVICES];
        final String[] netconKinds = new String[DEVICES];
        final String[] captureKinds = new String[DEVICES];

        void count(Map<String, Integer> w, Map<String, Integer> n, Map<String, Integer> c) {
            AbortFigure.count(w, wdsKinds);
            AbortFigure.count(n, netconKinds);
            AbortFigure.count(c, captureKinds);
        }

        void closeAll() {
            for (List<Connection> kind : List.of(wds, netcon, capture)) {
                for (Connection c : kind) {
                    try {
                        c.close();
                    } catch (RuntimeException ignored) {
                        // ended already, or its close failed: the next round opens new ones
                    }
                }
            }
        }
    }

    /** A datagram to the sink every millisecond, for the captures to capture, until stopped. */
    private static final class Traffic {
        private final Thread thread;
        private volatile boolean running = true;

        Traffic(DatagramChannel sender, int port) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            thread = new Thread(() -> {
                ByteBuffer payload = ByteBuffer.allocate(200);
                while (running) {
                    try {
                        sender.send(payload.clear(), to);
                    } catch (java.io.IOException e) {
                        return;
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            }, "unplug-bench-aborts-traffic");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
