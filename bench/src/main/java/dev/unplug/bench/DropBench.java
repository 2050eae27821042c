package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import dev.unplug.transport.ClientAccess;
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
import java.util.Locale;
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
 * 20 frames less deep, which is most of what separates them from any client library's read.
 *
 * <pre>
 * java -cp bench/target/unplug-bench.jar dev.unplug.bench.DropBench [samples]
 * </pre>
 * Default 400 samples of each, interleaved, after 200 unjudged warm-up rounds. Exit status 0 when the goal is met,
 * 1 otherwise, 2 on bad arguments.
 */
public final class DropBench {

    private static final double GOAL = 1.2;

    private DropBench() {
    }

    /** What one sample measured, in nanoseconds. */
    private record Sample(long returned, long call) {
    }

    /** One way of ending a connection with a blocked reader. */
    private interface Variant {
        Sample once() throws Exception;
    }

    /**
     * Runs the bench.
     *
     * @param args {@code [samples]}
     */
    public static void main(String[] args) throws Exception {
        Bench.quietLogs();
        int samples;
        try {
            samples = Bench.arg(args, 0, 400, 10, 100_000);
        } catch (IllegalArgumentException e) {
            System.err.println("unplug-bench: " + e.getMessage());
            System.err.println("usage: java -cp unplug-bench.jar dev.unplug.bench.DropBench [samples]");
            System.exit(2);
            return;
        }
        LineScript mute = LineScript.builder("+OK ready").build(); // answers nothing after the greeting
        try (LoopbackPeer plain = LoopbackPeer.builder(mute).start();
                LoopbackPeer tls = LoopbackPeer.builder(mute).tls().start();
                PluginHost host = PluginHost.builder().build()) {
            Options trust = Options.builder().set("tlsTrustStore", PeerTls.trustStore().toString())
                    .set("tlsTrustStorePassword", PeerTls.trustStorePassword()).build();
            String[] names = {"Commons Net, raw close", "Unplug drop(), pop3", "Commons Net TLS, raw close",
                "Unplug drop(), pop3s", "bare Socket.close()", "bare SSLSocket.close()"};
            Variant[] variants = {
                () -> commonsNetClose(plain.port(), false),
                () -> unplugDrop(host, "pop3://127.0.0.1:" + plain.port(), Options.empty()),
                () -> commonsNetClose(tls.port(), true),
                () -> unplugDrop(host, "pop3s://127.0.0.1:" + tls.port(), trust),
                () -> bareClose(plain.port(), false),
                () -> bareClose(tls.port(), true),
            };
            List<List<Sample>> results = new ArrayList<>();
            for (int v = 0; v < variants.length; v++) {
                results.add(new ArrayList<>());
            }
            for (int i = 0; i < 200 + samples; i++) {
                for (int v = 0; v < variants.length; v++) {
                    Sample s = variants[v].once();
                    if (i >= 200) {
                        results.get(v).add(s);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "unplug drop bench: %d samples each, interleaved; Java %s, %d cpus%n",
                    samples, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "%-24s %28s %28s%n", "", "end called -> reader back (us)",
                    "the end call itself (us)");
            System.out.printf(Locale.ROOT, "%-24s %9s %9s %9s %9s %9s %9s%n", "", "median", "p99", "max", "median",
                    "p99", "max");
            long[][] returned = new long[variants.length][];
            for (int v = 0; v < variants.length; v++) {
                returned[v] = results.get(v).stream().mapToLong(Sample::returned).sorted().toArray();
                long[] call = results.get(v).stream().mapToLong(Sample::call).sorted().toArray();
                System.out.printf(Locale.ROOT, "%-24s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f%n", names[v],
                        us(pct(returned[v], 50)), us(pct(returned[v], 99)), us(returned[v][returned[v].length - 1]),
                        us(pct(call, 50)), us(pct(call, 99)), us(call[call.length - 1]));
            }
            boolean ok = judge("plain", returned[1], returned[0]) & judge("TLS", returned[3], returned[2]);
            System.out.println(ok ? "PASS: drop within " + GOAL + "x the raw close, median and p99"
                    : "FAIL: see above");
            System.exit(ok ? 0 : 1);
        }
    }

    private static boolean judge(String what, long[] unplug, long[] raw) {
        double median = (double) pct(unplug, 50) / pct(raw, 50);
        double p99 = (double) pct(unplug, 99) / pct(raw, 99);
        boolean ok = median <= GOAL && p99 <= GOAL;
        System.out.printf(Locale.ROOT, "%s: drop / raw close = %.2fx median, %.2fx p99 (goal <= %.1fx): %s%n", what,
                median, p99, GOAL, ok ? "ok" : "FAIL");
        return ok;
    }

    /**
     * The anchor: a Commons Net client blocked in the same command, and a raw {@code Socket.close()} of its
     * plain socket (recorded by a socket factory, as Unplug records it): the same socket, the same read.
     */
    private static Sample commonsNetClose(int port, boolean tls) throws Exception {
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

    private static Sample unplugDrop(PluginHost host, String uri, Options options) throws Exception {
        Connection c = host.open(uri, options);
        c.connect();
        @SuppressWarnings("unchecked")
        ClientAccess<POP3Client> pop3 = c.unwrap(ClientAccess.class);
        return measure(() -> {
            try {
                pop3.withClient("NOOP", client -> client.sendCommand("NOOP"));
                throw new IllegalStateException("NOOP was answered; the peer must stay silent");
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

    private static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }

}
