package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import dev.unplug.testkit.ProcessResources;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.pop3.POP3Client;

/**
 * The bulk shutdown figure: {@link PluginHost#shutdown(Duration)} of 100, 1,000 and 10,000 real POP3 connections
 * (the pop3 plugin), half to a server that answers {@code QUIT} and half to one that never does, under one deadline
 * (the anchor at 10,000). Goals: every connection ended by the deadline plus 100 ms, at least 99 % of the answering
 * ones CLEAN, threads bounded (the peak is reported), no client socket left. The peers run in another process
 * ({@link PeerProcess}): the open-files limit (20,000 here) is per process, and the JVM raises its own soft limit
 * to the hard one at start ({@code -XX:+MaxFDLimit}, on by default on Linux), so 10,000 client sockets fit in the
 * harness.
 *
 * <p>Anchor, in the same run: what a user writes without Unplug, a sequential loop of Commons Net
 * {@code logout(); disconnect()} with a read timeout equal to the deadline over the same mix of connections,
 * stopped after 30 s and extrapolated to all of them.
 */
final class BulkFigure implements Figure {

    private static final Duration SLACK = Duration.ofMillis(100);

    @Override
    public String name() {
        return "bulk";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int[] sizes = quick ? new int[] {200} : new int[] {100, 1_000, 10_000};
        int largest = sizes[sizes.length - 1];
        int rounds = quick ? 1 : 3;
        Duration deadline = Duration.ofSeconds(2);
        Duration anchorBound = quick ? Duration.ofSeconds(3) : Duration.ofSeconds(30);
        Result r = new Result(name(), "Bulk shutdown of 100, 1,000 and 10,000 connections, half silent, one 2 s"
                + " deadline", "a sequential Commons Net `logout(); disconnect()` loop with a 2 s read timeout over the"
                + " same mix of 10,000, stopped at " + anchorBound.toSeconds() + " s and extrapolated",
                "all ended within 2.1 s; >= 99 % of the answering ones CLEAN; peak threads bounded; 0 sockets left");
        r.settings = Stats.f("%s POP3 connections through the pop3 plugin (half to a peer answering QUIT, half to one"
                + " that never answers; peers in a child process), %d judged rounds of each size after one warm-up"
                + " round of %,d", sizesText(sizes), rounds, largest);
        r.header("connections", "round", "shutdown returned in", "answering CLEAN", "outcomes",
                "threads before / peak", "client sockets left");
        try (PeerProcesses peers = PeerProcesses.start()) {
            round(null, "warm-up (not judged)", largest, deadline, peers.answering, peers.silent);
            for (int n : sizes) {
                for (int i = 1; i <= rounds; i++) {
                    round(r, String.valueOf(i), n, deadline, peers.answering, peers.silent);
                }
            }
            anchor(r, largest, deadline, anchorBound, peers.answering, peers.silent);
            cold(r, quick ? 1 : 3, largest, deadline, peers.answering, peers.silent);
        }
        return r;
    }

    private static String sizesText(int[] sizes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            b.append(i == 0 ? "" : i == sizes.length - 1 ? " and " : ", ").append(Stats.f("%,d", sizes[i]));
        }
        return b.toString();
    }

    private static void round(Result r, String name, int n, Duration deadline, int answering, int silent) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (PluginHost host = PluginHost.builder().build()) {
            List<Connection> toAnswering = openHalfSilent(host, n, answering, silent);
            int threadsBefore = threads.getThreadCount();
            threads.resetPeakThreadCount();
            long start = System.nanoTime();
            ShutdownReport report = host.shutdown(deadline);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int peak = threads.getPeakThreadCount();
            int left = ProcessResources.tcpSocketsConnectedTo(answering)
                    + ProcessResources.tcpSocketsConnectedTo(silent);
            long clean = clean(report, toAnswering);
            long notEnded = notEnded(report);
            if (r == null) {
                return;
            }
            r.row(Stats.f("%,d", n), name, Stats.f("%,d ms", took.toMillis()), Stats.f("%,d of %,d (%.2f %%)", clean,
                    toAnswering.size(), 100.0 * clean / toAnswering.size()), report.counts().toString(),
                    Stats.f("%d / %d (+%d)", threadsBefore, peak, peak - threadsBefore),
                    Stats.f("%d (%d not ended)", left, notEnded));
            r.judge(took.compareTo(deadline.plus(SLACK)) <= 0 && clean >= Math.ceil(toAnswering.size() * 0.99)
                    && left == 0 && notEnded == 0 && peak - threadsBefore <= 100);
        }
    }

    /**
     * The cold figure: the first shutdown in a fresh JVM ({@link ColdProbe}), the library in its default
     * configuration (JDK logging as it comes), judged by the same goals as the warm rounds.
     */
    private static void cold(Result r, int runs, int n, Duration deadline, int answering, int silent)
            throws Exception {
        for (int i = 1; i <= runs; i++) {
            String[] f = ColdProbe.run("bulk", String.valueOf(n), String.valueOf(answering), String.valueOf(silent));
            Duration took = Duration.ofNanos(Long.parseLong(f[2]));
            long clean = Long.parseLong(f[3]);
            long toAnswering = Long.parseLong(f[4]);
            long notEnded = Long.parseLong(f[5]);
            r.row(Stats.f("%,d", n), "cold " + i + " (first shutdown in a fresh JVM)", Stats.f("%,d ms",
                    took.toMillis()), Stats.f("%,d of %,d (%.2f %%)", clean, toAnswering, 100.0 * clean / toAnswering),
                    "-", "-", Stats.f("- (%d not ended)", notEnded));
            r.judge(took.compareTo(deadline.plus(SLACK)) <= 0 && clean >= Math.ceil(toAnswering * 0.99)
                    && notEnded == 0);
        }
    }

    /**
     * Opens and connects {@code n} POP3 connections, every other one to the silent peer; returns those to the
     * answering one. Shared with the cold probe, which does the same in a fresh JVM.
     */
    static List<Connection> openHalfSilent(PluginHost host, int n, int answering, int silent) {
        List<Connection> toAnswering = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean quiet = i % 2 == 0;
            Connection c = host.open("pop3://127.0.0.1:" + (quiet ? silent : answering), Options.empty());
            c.connect();
            if (!quiet) {
                toAnswering.add(c);
            }
        }
        return toAnswering;
    }

    /** How many of these connections the shutdown ended CLEAN. */
    static long clean(ShutdownReport report, List<Connection> connections) {
        return connections.stream().filter(c -> report.outcomes().get(c).kind() == DisconnectOutcome.Kind.CLEAN)
                .count();
    }

    /** How many connections the shutdown reported that are still not DISCONNECTED. */
    static long notEnded(ShutdownReport report) {
        return report.outcomes().keySet().stream().filter(c -> c.state() != ConnectionState.DISCONNECTED).count();
    }

    /** Commons Net alone: logout(); disconnect() one after another, read timeout = deadline, bounded. */
    private static void anchor(Result r, int n, Duration deadline, Duration bound, int answering, int silent)
            throws Exception {
        List<POP3Client> clients = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                POP3Client c = new POP3Client();
                c.setDefaultTimeout((int) deadline.toMillis());
                c.connect("127.0.0.1", i % 2 == 0 ? silent : answering);
                clients.add(c);
            }
            long start = System.nanoTime();
            long until = start + bound.toNanos();
            int done = 0;
            int clean = 0;
            for (POP3Client c : clients) {
                if (System.nanoTime() - until > 0) {
                    break;
                }
                try {
                    if (c.logout()) {
                        clean++;
                    }
                } catch (SocketTimeoutException e) {
                    // the silent server: the read timeout passed
                } finally {
                    c.disconnect();
                }
                done++;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            double projected = took.toMillis() * (double) n / done;
            r.row(Stats.f("%,d", n), "anchor: Commons Net loop", Stats.f("%,d of %,d ended in %,d ms (stopped at"
                    + " %d s); projected for all: %,.0f ms (%.0fx the deadline)", done, n, took.toMillis(),
                    bound.toSeconds(), projected, projected / deadline.toMillis()),
                    Stats.f("%d of the %d answering ones it reached", clean, (done + 1) / 2), "", "", "");
        } finally {
            for (POP3Client c : clients) {
                if (c.isConnected()) {
                    c.disconnect();
                }
            }
        }
    }
}
