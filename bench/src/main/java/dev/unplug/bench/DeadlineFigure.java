package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.core.PluginHost;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.pop3.POP3Client;

/**
 * The deadline figure: a graceful disconnect with a 200 ms deadline against a POP3 server that answers the greeting
 * and never answers {@code QUIT}; measured from the call to its return. Anchors in the same run: Commons Net with
 * its defaults (no read timeout: {@code logout()} never returns; shown under a bound, after which the harness closes
 * the socket to free the thread) and Commons Net with a 200 ms read timeout ({@code logout()} until the timeout,
 * then {@code disconnect()}).
 */
final class DeadlineFigure implements Figure {

    private static final Duration DEADLINE = Duration.ofMillis(200);
    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    @Override
    public String name() {
        return "deadline";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int samples = quick ? 10 : 150;
        int unbounded = quick ? 1 : 3;
        Duration bound = quick ? Duration.ofMillis(500) : Duration.ofSeconds(3);
        Result r = new Result(name(), "Deadline accuracy: graceful disconnect, 200 ms deadline, silent peer",
                "Commons Net with its defaults (no read timeout), bounded at " + bound.toMillis() + " ms; and Commons"
                        + " Net with a 200 ms read timeout",
                "p99 return <= deadline + 10 ms (210 ms)");
        r.settings = Stats.f("%d samples of Unplug and of Commons Net with a read timeout, interleaved (after 5"
                + " unjudged); %d of Commons Net with defaults; peer: testkit LoopbackPeer answering the greeting only",
                samples, unbounded);
        LineScript mute = LineScript.builder("+OK ready").build();
        try (LoopbackPeer peer = LoopbackPeer.builder(mute).start(); PluginHost host = PluginHost.builder().build()) {
            long[] unplug = new long[samples];
            long[] timed = new long[samples];
            int escalated = 0;
            for (int i = -5; i < samples; i++) {
                Connection c = host.open("pop3://127.0.0.1:" + peer.port(), Options.empty());
                c.connect();
                long t0 = System.nanoTime();
                DisconnectOutcome o = c.disconnect(DEADLINE);
                long took = System.nanoTime() - t0;
                long anchor = commonsNetTimed(peer.port());
                if (i >= 0) {
                    unplug[i] = took;
                    timed[i] = anchor;
                    escalated += o.kind() == DisconnectOutcome.Kind.ESCALATED ? 1 : 0;
                }
            }
            int neverReturned = 0;
            for (int i = 0; i < unbounded; i++) {
                neverReturned += commonsNetDefaults(peer.port(), bound) ? 0 : 1;
            }
            unplug = Stats.sorted(unplug);
            timed = Stats.sorted(timed);
            r.header("client", "median", "p99", "max", "outcome");
            r.row("Unplug disconnect(200 ms)", Stats.ms(Stats.median(unplug)), Stats.ms(Stats.p99(unplug)),
                    Stats.ms(unplug[samples - 1]), escalated + " of " + samples + " ESCALATED (goodbye sent,"
                            + " unanswered, socket closed at the deadline)");
            r.row("Commons Net, 200 ms read timeout", Stats.ms(Stats.median(timed)), Stats.ms(Stats.p99(timed)),
                    Stats.ms(timed[samples - 1]), "logout() timed out, then disconnect()");
            r.row("Commons Net, defaults", "never", "never", "never", neverReturned + " of " + unbounded
                    + " had not returned after " + bound.toMillis() + " ms (socket then closed by the harness)");
            r.series("deadline: 200 ms graceful disconnect, silent peer", "Unplug disconnect(200 ms)", unplug);
            r.series("deadline: 200 ms graceful disconnect, silent peer", "Commons Net, 200 ms read timeout", timed);
            long p99 = Stats.p99(unplug);
            r.judge(p99 <= DEADLINE.toNanos() + SLACK_NANOS && escalated == samples);
            r.note(Stats.f("Unplug p99 %s against a goal of %s", Stats.ms(p99),
                    Stats.ms(DEADLINE.toNanos() + SLACK_NANOS)));
            return r;
        }
    }

    /** Commons Net with a 200 ms read timeout: the time of logout() (timing out) plus disconnect(). */
    private static long commonsNetTimed(int port) throws IOException {
        POP3Client c = new POP3Client();
        c.setConnectTimeout(5_000);
        c.connect("127.0.0.1", port);
        c.setSoTimeout((int) DEADLINE.toMillis());
        long t0 = System.nanoTime();
        try {
            c.logout();
            throw new IllegalStateException("the silent peer answered QUIT");
        } catch (SocketTimeoutException expected) {
            // the read timeout passed: what a careful Commons Net user gets
        } finally {
            c.disconnect();
        }
        return System.nanoTime() - t0;
    }

    /** Commons Net with its defaults: true when logout() returned within the bound (it does not). */
    private static boolean commonsNetDefaults(int port, Duration bound) throws Exception {
        POP3Client c = new POP3Client();
        c.setConnectTimeout(5_000);
        c.connect("127.0.0.1", port);
        CountDownLatch back = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                c.logout();
            } catch (IOException e) {
                // closed by the harness below
            }
            back.countDown();
        }, "deadline-bench-commons-net");
        t.start();
        boolean returned = back.await(bound.toMillis(), TimeUnit.MILLISECONDS);
        c.disconnect();
        t.join(5_000);
        return returned;
    }
}
