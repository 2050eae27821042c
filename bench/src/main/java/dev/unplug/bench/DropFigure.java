package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.core.PluginHost;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerTls;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.pop3.POP3Client;
import org.apache.commons.net.pop3.POP3SClient;

/**
 * The drop figure: a thread is blocked reading the answer to a command that the server never answers; another
 * thread ends the connection. Measured from "end called" to "blocked thread returned", and the end call itself,
 * median and p99, for Unplug's {@code drop()} of a POP3 connection (plain and implicit TLS) and, side by side in
 * the same run, the anchor: a Commons Net POP3 client blocked in the same command and a raw {@code Socket.close()}
 * of its plain socket (the same socket, the same read: what a user of Commons Net alone can do at best). Goal:
 * Unplug's median and p99 at most 1.2x the anchor's. For scale, two more rows: a bare socket blocked in
 * {@code read()} directly, closed raw ({@code Socket.close()}, {@code SSLSocket.close()}); their reader sits
 * 20 frames less deep, which is most of what separates them from any client library's read. The variants run
 * interleaved, after unjudged warm-up rounds.
 */
final class DropFigure implements Figure {

    private static final double GOAL = 1.2;

    /** What one sample measured, in nanoseconds. */
    record Sample(long returned, long call) {
    }

    /** One way of ending a connection with a blocked reader. */
    private interface Variant {
        Sample once() throws Exception;
    }

    @Override
    public String name() {
        return "drop";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int samples = quick ? 20 : 1_000;
        int warmup = quick ? 10 : 200;
        Result r = new Result(name(), "Drop latency with a thread blocked reading, plain and TLS",
                "a raw `close()` of the same Commons Net POP3 client's socket, its reader blocked in the same command",
                "median and p99 of \"drop called\" -> \"blocked thread returned\" <= 1.2x the raw close's");
        r.settings = Stats.f("%d samples of each of 6 variants, interleaved, after %d unjudged rounds; the server"
                + " (testkit LoopbackPeer) answers the greeting and a login, and then nothing", samples, warmup);
        LineScript mute = mute();
        try (LoopbackPeer plain = LoopbackPeer.builder(mute).start();
                LoopbackPeer tls = LoopbackPeer.builder(mute).tls().start();
                PluginHost host = PluginHost.builder().build()) {
            Options trust = Options.builder().set("tlsTrustStore", PeerTls.trustStore().toString())
                    .set("tlsTrustStorePassword", PeerTls.trustStorePassword()).build();
            String[] names = {"Commons Net, raw close", "Unplug drop(), pop3", "Commons Net TLS, raw close",
                "Unplug drop(), pop3s", "bare Socket.close()", "bare SSLSocket.close()"};
            Variant[] variants = {
                () -> commonsNetClose(plain.port(), false),
                () -> unplugDrop(host, "pop3://u:p@127.0.0.1:" + plain.port(), Options.empty()),
                () -> commonsNetClose(tls.port(), true),
                () -> unplugDrop(host, "pop3s://u:p@127.0.0.1:" + tls.port(), trust),
                () -> bareClose(plain.port(), false),
                () -> bareClose(tls.port(), true),
            };
            List<List<Sample>> results = new ArrayList<>();
            for (int v = 0; v < variants.length; v++) {
                results.add(new ArrayList<>());
            }
            for (int i = 0; i < warmup + samples; i++) {
                for (int v = 0; v < variants.length; v++) {
                    Sample s = variants[v].once();
                    if (i >= warmup) {
                        results.get(v).add(s);
                    }
                }
            }
            r.header("variant", "end called -> reader back: median", "p99", "max", "the end call itself: median",
                    "p99");
            long[][] returned = new long[variants.length][];
            for (int v = 0; v < variants.length; v++) {
                returned[v] = Stats.sorted(results.get(v).stream().mapToLong(Sample::returned).toArray());
                long[] call = Stats.sorted(results.get(v).stream().mapToLong(Sample::call).toArray());
                r.row(names[v], Stats.us(Stats.median(returned[v])), Stats.us(Stats.p99(returned[v])),
                        Stats.us(returned[v][returned[v].length - 1]), Stats.us(Stats.median(call)),
                        Stats.us(Stats.p99(call)));
            }
            r.series("drop, plain: drop called -> blocked reader back", names[1], returned[1]);
            r.series("drop, plain: drop called -> blocked reader back", names[0], returned[0]);
            r.series("drop, TLS: drop called -> blocked reader back", names[3], returned[3]);
            r.series("drop, TLS: drop called -> blocked reader back", names[2], returned[2]);
            judge(r, "plain", returned[1], returned[0]);
            judge(r, "TLS", returned[3], returned[2]);
            cold(r, quick ? 2 : 15, plain.port());
            r.note("How: drop() changes the state and then, before anything else, shuts the socket's input down and"
                    + " closes it: the blocked reader is woken through the socket's wait queue (it reads the end of the"
                    + " stream) instead of by the signal a close sends a thread blocked on the socket; the outcome is"
                    + " made and the listeners told after that. The error raised in the blocked thread records no"
                    + " stack trace of its own (its cause has one) and puts its message together only when asked."
                    + " The drop() call itself stays longer than a raw close: after the close it records the outcome"
                    + " and tells the listeners (host tracking), and on 2 cores it also absorbs part of the kernel's"
                    + " loopback work the close sets off. 1,000 samples a variant, so that the p99 is the 10th"
                    + " slowest, not the 6th.");
            if (r.verdict == Result.Verdict.MISSED) {
                r.note("What stands in the way: on 2 shared cores the dropping thread, the woken reader and the"
                        + " peer's thread compete for the cores right after the close; the bookkeeping itself costs"
                        + " well under a microsecond per step (measured apart), the rest is scheduling.");
            }
            return r;
        }
    }

    /**
     * The server of every variant: it answers the greeting and a login (so that a POP3 session is in its
     * transaction state, where a STAT is sent), and then nothing.
     */
    static LineScript mute() {
        return LineScript.builder("+OK ready").on(LineScript.command("USER"), "+OK")
                .on(LineScript.command("PASS"), "+OK logged in").build();
    }

    /**
     * The cold figure: the first drop in a fresh JVM against the first raw close in another, alternating, each in
     * the library's default configuration ({@link ColdProbe}).
     */
    private static void cold(Result r, int runs, int port) throws Exception {
        long[] drop = new long[runs];
        long[] dropCall = new long[runs];
        long[] raw = new long[runs];
        long[] rawCall = new long[runs];
        for (int i = 0; i < runs; i++) {
            String[] d = ColdProbe.run("drop", String.valueOf(port));
            String[] c = ColdProbe.run("raw", String.valueOf(port));
            drop[i] = Long.parseLong(d[2]);
            dropCall[i] = Long.parseLong(d[3]);
            raw[i] = Long.parseLong(c[2]);
            rawCall[i] = Long.parseLong(c[3]);
        }
        drop = Stats.sorted(drop);
        raw = Stats.sorted(raw);
        dropCall = Stats.sorted(dropCall);
        rawCall = Stats.sorted(rawCall);
        r.row("cold: Unplug drop(), pop3, first in a fresh JVM", Stats.us(Stats.median(drop)), "-",
                Stats.us(drop[runs - 1]), Stats.us(Stats.median(dropCall)), "-");
        r.row("cold: Commons Net, raw close, first in a fresh JVM", Stats.us(Stats.median(raw)), "-",
                Stats.us(raw[runs - 1]), Stats.us(Stats.median(rawCall)), "-");
        double median = (double) Stats.median(drop) / Stats.median(raw);
        boolean ok = median <= GOAL;
        r.judge(ok).note(Stats.f("cold (%d fresh JVMs of each, alternating, default JDK logging): drop / raw close"
                + " = %s median (goal <= %.1fx): %s", runs, Stats.x(median), GOAL, ok ? "met" : "MISSED"));
    }

    private static void judge(Result r, String what, long[] unplug, long[] raw) {
        double median = (double) Stats.median(unplug) / Stats.median(raw);
        double p99 = (double) Stats.p99(unplug) / Stats.p99(raw);
        boolean ok = median <= GOAL && p99 <= GOAL;
        r.judge(ok).note(Stats.f("%s: drop / raw close = %s median, %s p99 (goal <= %.1fx): %s", what,
                Stats.x(median), Stats.x(p99), GOAL, ok ? "met" : "MISSED"));
    }

    /**
     * The anchor: a Commons Net client blocked in the same command, and a raw {@code Socket.close()} of its
     * plain socket (recorded by a socket factory, as Unplug records it): the same socket, the same read.
     */
    static Sample commonsNetClose(int port, boolean tls) throws Exception {
        Socket[] made = new Socket[1];
        POP3Client client = tls ? new POP3SClient(true, PeerTls.clientContext()) : new POP3Client();
        client.setSocketFactory(new javax.net.SocketFactory() {
            @Override
            public Socket createSocket() {
                made[0] = new Socket();
                return made[0];
            }

            @Override
            public Socket createSocket(String host, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(String host, int p, InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress host, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress host, int p, InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }
        });
        client.setDefaultTimeout(30_000);
        client.connect("127.0.0.1", port);
        boolean[] sent = new boolean[1];
        return measure(() -> {
            try {
                sent[0] = true;
                client.sendCommand("NOOP");
                throw new IllegalStateException("NOOP was answered; the peer must stay silent");
            } catch (java.io.IOException expected) {
                // closed under the reader: the point of the measure
            }
        }, () -> {
            try {
                made[0].close();
            } catch (java.io.IOException ignored) {
                // closing is all there is
            }
        }, () -> sent[0]);
    }

    private static Sample bareClose(int port, boolean tls) throws Exception {
        Socket s;
        if (tls) {
            SSLSocket t = (SSLSocket) PeerTls.clientContext().getSocketFactory().createSocket(
                    InetAddress.getLoopbackAddress(), port);
            t.startHandshake();
            s = t;
        } else {
            s = new Socket(InetAddress.getLoopbackAddress(), port);
        }
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        while (in.read() != '\n') {
            // the greeting
        }
        out.write("STAT\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return measure(() -> {
            try {
                in.read();
            } catch (Exception expected) {
                // closed under the reader: the point of the measure
            }
        }, () -> {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing is all there is
            }
        }, () -> true);
    }

    static Sample unplugDrop(PluginHost host, String uri, Options options) throws Exception {
        Connection c = host.open(uri, options);
        c.connect();
        Pop3Session pop3 = c.unwrap(Pop3Session.class);
        return measure(() -> {
            try {
                pop3.stat();
                throw new IllegalStateException("STAT was answered; the peer must stay silent");
            } catch (UnplugException e) {
                if (e.kind() != ErrorKind.CONNECTION_DROPPED) {
                    throw e;
                }
            }
        }, c::drop, () -> c.state() == ConnectionState.BUSY);
    }

    /**
     * Starts the reader, waits until it is blocked (its state says so, then 2 ms more for it to reach the read),
     * ends, and times when the end call returned and when the reader got out.
     */
    private static Sample measure(Runnable reader, Runnable end, java.util.function.BooleanSupplier blocked)
            throws InterruptedException {
        long[] back = new long[1];
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        RuntimeException[] failed = new RuntimeException[1];
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                reader.run();
            } catch (RuntimeException e) {
                failed[0] = e;
            }
            back[0] = System.nanoTime();
            done.countDown();
        }, "drop-bench-reader");
        t.start();
        started.await();
        while (!blocked.getAsBoolean() && done.getCount() > 0) {
            Thread.onSpinWait();
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        long start = System.nanoTime();
        end.run();
        long called = System.nanoTime();
        if (!done.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the blocked reader did not return within 10 s");
        }
        t.join();
        if (failed[0] != null) {
            throw new IllegalStateException("the reader failed before the end was measured", failed[0]);
        }
        return new Sample(back[0] - start, called - start);
    }
}
