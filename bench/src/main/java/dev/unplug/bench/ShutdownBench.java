package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.Options;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import dev.unplug.testkit.ProcessResources;
import dev.unplug.testkit.peer.ManyConnectionsPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures {@link PluginHost#shutdown(Duration)} of many open connections to a silent loopback peer (it greets,
 * then never answers the goodbye), against the target "returns within the deadline plus 100 ms with every socket
 * closed".
 *
 * <p>Build and run (from the repository root, api and core installed):
 * <pre>
 * mvn -B -o -pl bench package
 * java -cp bench/target/unplug-bench.jar dev.unplug.bench.ShutdownBench [connections [deadlineMillis [rounds]]]
 * </pre>
 * ({@code java -jar bench/target/unplug-bench.jar} is the same). Defaults: 1000 connections, 500 ms, 5 rounds.
 *
 * <p>After one unjudged warm-up round, each round starts a fresh peer and host (class path discovery finds
 * {@link BenchProvider}), opens and connects the connections, calls {@code shutdown}, and prints the elapsed time,
 * the outcome counts, the client TCP sockets open before the shutdown and right after it returns (from
 * {@code /proc/self/fd} and {@code /proc/net/tcp}), and all the process's sockets before the round and once the
 * in-process peer has closed its ends. Exit status 0 when every round met the target; 1 when a round took longer
 * than the deadline plus 100 ms, left a connection not ended, left a client socket open at the return or leaked
 * a socket; 2 on bad arguments.
 */
public final class ShutdownBench {

    private static final Duration SLACK = Duration.ofMillis(100);

    private ShutdownBench() {
    }

    /**
     * Runs the bench.
     *
     * @param args {@code [connections [deadlineMillis [rounds]]]}
     */
    public static void main(String[] args) throws Exception {
        Bench.quietLogs();
        int connections;
        int deadlineMillis;
        int rounds;
        try {
            connections = Bench.arg(args, 0, 1000, 1, 20_000);
            deadlineMillis = Bench.arg(args, 1, 500, 1, 600_000);
            rounds = Bench.arg(args, 2, 5, 1, 1_000);
            if (args.length > 3) {
                throw new IllegalArgumentException("too many arguments");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("unplug-bench: " + e.getMessage());
            System.err.println("usage: java -cp unplug-bench.jar dev.unplug.bench.ShutdownBench"
                    + " [connections 1..20000] [deadlineMillis] [rounds]");
            System.exit(2);
            return;
        }
        boolean fds = ProcessResources.canCountTcpSockets();
        Duration deadline = Duration.ofMillis(deadlineMillis);
        System.out.printf(Locale.ROOT, "unplug shutdown bench: %d connections, deadline %d ms, %d rounds, target"
                + " <= %d ms, Java %s, %d cpus%n", connections, deadlineMillis, rounds,
                deadline.plus(SLACK).toMillis(), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        if (!fds) {
            System.out.println("no /proc/self/fd or /proc/net/tcp on this system: sockets are not checked");
        }
        // one unjudged warm-up round: JIT, class loading, and the JDK's one-time descriptors (the socket pair
        // NIO keeps for closing sockets that another thread is blocked on) must not count against round 1
        round("warm-up (not judged)", connections, deadline, fds);
        boolean ok = true;
        for (int round = 1; round <= rounds; round++) {
            ok &= round("round " + round, connections, deadline, fds);
        }
        System.out.println(ok ? "PASS: every round met the target" : "FAIL: see the rounds marked above");
        System.exit(ok ? 0 : 1);
    }

    private static boolean round(String name, int n, Duration deadline, boolean fds) throws Exception {
        try (ManyConnectionsPeer peer = ManyConnectionsPeer.silent(); PluginHost host = PluginHost.builder().build()) {
            int before = fds ? ProcessResources.openSockets() : -1;
            List<Connection> open = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Connection c = host.open("bench://127.0.0.1:" + peer.port(), Options.empty());
                c.connect();
                open.add(c);
            }
            int clientsOpen = fds ? ProcessResources.tcpSocketsConnectedTo(peer.port()) : -1;

            long start = System.nanoTime();
            ShutdownReport report = host.shutdown(deadline);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            int clientsAtReturn = fds ? ProcessResources.tcpSocketsConnectedTo(peer.port()) : -1;
            long notEnded = open.stream().filter(c -> c.state() != ConnectionState.DISCONNECTED).count();
            // at most 5 s for the in-process peer to close its ends
            int settled = fds ? ProcessResources.awaitCount(ProcessResources::openSockets, k -> k <= before,
                    Duration.ofSeconds(5)) : -1;

            boolean slow = elapsed.compareTo(deadline.plus(SLACK)) > 0;
            boolean leak = fds && (clientsAtReturn > 0 || settled > before);
            boolean incomplete = notEnded > 0 || report.outcomes().size() != n;
            System.out.printf(Locale.ROOT, "%s: shutdown returned in %d ms (report %d ms); %s%n", name,
                    elapsed.toMillis(), report.elapsed().toMillis(), report.counts());
            if (fds) {
                System.out.printf(Locale.ROOT, "    client sockets: %d open before, %d at return; all sockets of the"
                        + " process: %d before, %d once the peer closed its ends%n", clientsOpen, clientsAtReturn,
                        before, settled);
            }
            System.out.printf(Locale.ROOT, "    %s%n", slow || leak || incomplete
                    ? "FAIL:" + (slow ? " over deadline + " + SLACK.toMillis() + " ms;" : "")
                            + (leak ? " sockets leaked;" : "")
                            + (incomplete ? " " + notEnded + " connections not ended;" : "")
                    : "ok");
            return !(slow || leak || incomplete);
        }
    }
}
