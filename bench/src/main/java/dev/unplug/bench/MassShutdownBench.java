package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import dev.unplug.testkit.ProcessResources;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.net.pop3.POP3Client;

/**
 * The bulk shutdown figure: {@link PluginHost#shutdown(Duration)} of many real POP3 connections (the pop3 plugin),
 * half to a server that answers {@code QUIT} and half to one that never does, under one deadline. Goals: every
 * connection ended by the deadline plus 100 ms, at least 99 % of the answering ones CLEAN, threads bounded (the
 * peak is reported), no client socket left. The peers run in another process ({@link PeerProcess}).
 *
 * <p>Anchor, in the same run: what a user writes without Unplug, a sequential loop of Commons Net
 * {@code logout(); disconnect()} with a read timeout equal to the deadline over the same mix of connections,
 * stopped after 30 s and extrapolated to all of them.
 *
 * <pre>
 * mvn -B -pl bench -am package -DskipTests
 * java -cp bench/target/unplug-bench.jar dev.unplug.bench.MassShutdownBench [connections [deadlineMillis [rounds]]]
 * </pre>
 * Defaults: 10000 connections, 2000 ms, 3 rounds (after one unjudged warm-up). Exit status 0 when every round met
 * the goals, 1 otherwise, 2 on bad arguments.
 */
public final class MassShutdownBench {

    private static final Duration SLACK = Duration.ofMillis(100);
    private static final Duration ANCHOR_BOUND = Duration.ofSeconds(30);

    private MassShutdownBench() {
    }

    /**
     * Runs the bench.
     *
     * @param args {@code [connections [deadlineMillis [rounds]]]}
     */
    public static void main(String[] args) throws Exception {
        Bench.quietLogs();
        int n;
        int deadlineMillis;
        int rounds;
        try {
            n = Bench.arg(args, 0, 10_000, 2, 12_000);
            deadlineMillis = Bench.arg(args, 1, 2000, 100, 60_000);
            rounds = Bench.arg(args, 2, 3, 1, 100);
        } catch (IllegalArgumentException e) {
            System.err.println("unplug-bench: " + e.getMessage());
            System.err.println("usage: java -cp unplug-bench.jar dev.unplug.bench.MassShutdownBench"
                    + " [connections 2..12000] [deadlineMillis] [rounds]");
            System.exit(2);
            return;
        }
        Duration deadline = Duration.ofMillis(deadlineMillis);
        System.out.printf(Locale.ROOT, "unplug mass shutdown bench: %d POP3 connections (half answering QUIT, half"
                + " silent), deadline %d ms, %d rounds, Java %s, %d cpus%n", n, deadlineMillis, rounds,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        Process peers = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PeerProcess.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        boolean ok = true;
        try {
            BufferedReader from = new BufferedReader(new InputStreamReader(peers.getInputStream(),
                    StandardCharsets.US_ASCII));
            String[] ports = from.readLine().split(" ");
            int answering = Integer.parseInt(ports[1]);
            int silent = Integer.parseInt(ports[2]);
            round("warm-up (not judged)", n, deadline, answering, silent);
            for (int r = 1; r <= rounds; r++) {
                ok &= round("round " + r, n, deadline, answering, silent);
            }
            anchor(n, deadline, answering, silent);
        } finally {
            peers.getOutputStream().close();
            if (!peers.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                peers.destroyForcibly();
            }
        }
        System.out.println(ok ? "PASS: every round met the goals" : "FAIL: see the rounds marked above");
        System.exit(ok ? 0 : 1);
    }

    private static boolean round(String name, int n, Duration deadline, int answering, int silent) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (PluginHost host = PluginHost.builder().build()) {
            List<Connection> toAnswering = new ArrayList<>();
            List<Connection> toSilent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean quiet = i % 2 == 0;
                Connection c = host.open("pop3://127.0.0.1:" + (quiet ? silent : answering), Options.empty());
                c.connect();
                (quiet ? toSilent : toAnswering).add(c);
            }
            int threadsBefore = threads.getThreadCount();
            threads.resetPeakThreadCount();
            long start = System.nanoTime();
            ShutdownReport report = host.shutdown(deadline);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int peak = threads.getPeakThreadCount();
            int left = ProcessResources.tcpSocketsConnectedTo(answering)
                    + ProcessResources.tcpSocketsConnectedTo(silent);
            long clean = toAnswering.stream().filter(c -> report.outcomes().get(c).kind()
                    == DisconnectOutcome.Kind.CLEAN).count();
            long notEnded = report.outcomes().keySet().stream()
                    .filter(c -> c.state() != ConnectionState.DISCONNECTED).count();
            boolean slow = took.compareTo(deadline.plus(SLACK)) > 0;
            boolean starved = clean < Math.ceil(toAnswering.size() * 0.99);
            boolean leak = left > 0 || notEnded > 0;
            System.out.printf(Locale.ROOT, "%s: shutdown returned in %d ms; answering CLEAN %d of %d (%.2f %%);"
                    + " %s; threads %d before, peak %d (+%d); client sockets left %d%n", name, took.toMillis(), clean,
                    toAnswering.size(), 100.0 * clean / toAnswering.size(), report.counts(), threadsBefore, peak,
                    peak - threadsBefore, left);
            System.out.printf(Locale.ROOT, "    %s%n", slow || starved || leak ? "FAIL:"
                    + (slow ? " over deadline + " + SLACK.toMillis() + " ms;" : "")
                    + (starved ? " fewer than 99 % of the answering connections CLEAN;" : "")
                    + (leak ? " " + notEnded + " not ended, " + left + " sockets left;" : "") : "ok");
            return !(slow || starved || leak);
        }
    }

    /** Commons Net alone: logout(); disconnect() one after another, read timeout = deadline, bounded. */
    private static void anchor(int n, Duration deadline, int answering, int silent) throws Exception {
        List<POP3Client> clients = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                POP3Client c = new POP3Client();
                c.setDefaultTimeout((int) deadline.toMillis());
                c.connect("127.0.0.1", i % 2 == 0 ? silent : answering);
                clients.add(c);
            }
            long start = System.nanoTime();
            long bound = start + ANCHOR_BOUND.toNanos();
            int done = 0;
            int clean = 0;
            for (POP3Client c : clients) {
                if (System.nanoTime() > bound) {
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
            System.out.printf(Locale.ROOT, "anchor, sequential Commons Net logout(); disconnect() with a %d ms read"
                    + " timeout: %d of %d ended in %d ms (stopped at %d s), %d CLEAN; projected for all %d: %.0f ms"
                    + " (%.0fx the deadline)%n", deadline.toMillis(), done, n, took.toMillis(),
                    ANCHOR_BOUND.toSeconds(), clean, n, projected, projected / deadline.toMillis());
        } finally {
            for (POP3Client c : clients) {
                if (c.isConnected()) {
                    c.disconnect();
                }
            }
        }
    }
}
