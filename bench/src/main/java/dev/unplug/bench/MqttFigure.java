package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.message.Message;
import dev.unplug.api.message.MqttSession;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The MQTT figure, against the real Mosquitto that {@code scripts/servers.sh} runs on 127.0.0.1:11883, beside Paho
 * itself in the same run: a graceful disconnect against Paho's own {@code disconnect()} (which waits for its
 * DISCONNECT to be sent and its side shut, not for the broker: Unplug also waits for the broker's close); a drop
 * under a QoS 1 publish that waits for a PUBACK which never comes (a broker in this process that answers CONNECT
 * and nothing more), timed to the publishing thread's return, against a raw socket closed under a blocked reader and
 * Paho's {@code disconnectForcibly}; and a host shutdown of N sessions with a Will each, half of them busy in a
 * receive: every Will of the dropped ones published, none of the clean ones. Not run when Mosquitto is not there.
 */
final class MqttFigure implements Figure {

    private static final String URI = "mqtt://unplug:unplug-mqtt-pw@127.0.0.1:11883";

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int samples = quick ? 10 : 200;
        int drops = quick ? 10 : 100;
        int bulk = quick ? 50 : 1_000;
        Result r = new Result(name(), "MQTT: graceful, drop under a QoS 1 publish, and a bulk shutdown with Wills",
                "Eclipse Paho 1.2.5 (MQTT 3.1.1) itself: `disconnect()` and `disconnectForcibly()`; a raw socket closed"
                        + " under a blocked reader",
                "graceful median <= 1.05x Paho's disconnect(); drop -> blocked publisher back <= 1.2x a raw socket"
                        + " close; bulk: every Will of the dropped published, none of the clean");
        r.settings = Stats.f("Mosquitto 2 on 127.0.0.1:11883 (scripts/servers.sh), MQTT 3.1.1; %d graceful samples of"
                + " each, interleaved, after 10 unjudged; %d drops of each under a QoS 1 publish to a muted broker in"
                + " this process; bulk: %,d sessions with a Will each, every second one blocked in receive(30 s),"
                + " host.shutdown(2 s)", samples, drops, bulk);
        if (!r.serverListening("Mosquitto", 11883)) {
            return r;
        }
        r.header("measure", "Unplug median", "Unplug p99", "anchor median", "anchor p99", "Unplug / anchor (median)",
                "outcomes");
        try (PluginHost host = PluginHost.builder().build()) {
            graceful(r, host, samples);
            drop(r, host, drops);
            bulk(r, host, bulk);
        }
        return r;
    }

    private static void graceful(Result r, PluginHost host, int samples) throws Exception {
        long[] unplug = new long[samples];
        long[] paho = new long[samples];
        int clean = 0;
        for (int i = -10; i < samples; i++) {
            Connection c = host.open(URI + "?clientId=bench-graceful-u" + i, Options.empty());
            c.connect();
            long t0 = System.nanoTime();
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            long u = System.nanoTime() - t0;
            MqttAsyncClient p = paho("bench-graceful-p" + i);
            long t1 = System.nanoTime();
            p.disconnect(0).waitForCompletion(10_000);
            long d = System.nanoTime() - t1;
            p.close(true);
            if (i >= 0) {
                unplug[i] = u;
                paho[i] = d;
                clean += o.kind() == DisconnectOutcome.Kind.CLEAN ? 1 : 0;
            }
        }
        unplug = Stats.sorted(unplug);
        paho = Stats.sorted(paho);
        double ratio = (double) Stats.median(unplug) / Stats.median(paho);
        r.row("graceful: disconnect(2 s) vs Paho disconnect()", Stats.us(Stats.median(unplug)),
                Stats.us(Stats.p99(unplug)), Stats.us(Stats.median(paho)), Stats.us(Stats.p99(paho)), Stats.x(ratio),
                clean + " of " + samples + " CLEAN (the broker closed each session)");
        r.series("mqtt graceful", "Unplug disconnect(2 s)", unplug);
        r.series("mqtt graceful", "Paho disconnect()", paho);
        r.judge(ratio <= 1.05 && clean == samples).note(Stats.f("graceful: %s of Paho's disconnect() (goal <= 1.05x)."
                + " Unplug writes DISCONNECT and waits for the broker to close the connection; Paho's disconnect()"
                + " does not wait for the broker but for its own threads to stop", Stats.x(ratio)));
    }

    private static void drop(Result r, PluginHost host, int n) throws Exception {
        long[] unplug = new long[n];
        long[] raw = new long[n];
        int forcedSamples = Math.min(n, 3); // each one waits out Paho's own 10 s (below): a few show it
        long[] forcibly = new long[forcedSamples];
        try (MutedBroker muted = new MutedBroker()) {
            String uri = "mqtt://127.0.0.1:" + muted.port();
            for (int i = 0; i < n; i++) {
                Connection c = host.open(uri + "?clientId=bench-drop-u" + i, Options.empty());
                c.connect();
                MqttSession s = c.unwrap(MqttSession.class);
                unplug[i] = blockedThenEnded(() -> s.publish("bench/x", new byte[8], 1, false), c::drop,
                        () -> c.state() == ConnectionState.BUSY);
                try (Socket plain = new Socket()) {
                    plain.connect(new InetSocketAddress("127.0.0.1", muted.port()));
                    InputStream in = plain.getInputStream();
                    raw[i] = blockedThenEnded(in::read, () -> {
                        try {
                            plain.close();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }, null);
                }
                if (i >= forcedSamples) {
                    continue;
                }
                MqttAsyncClient p = new MqttAsyncClient("tcp://127.0.0.1:" + muted.port(), "bench-drop-p" + i,
                        new MemoryPersistence());
                p.connect(new MqttConnectOptions()).waitForCompletion(5_000);
                forcibly[i] = blockedThenEnded(() -> p.publish("bench/x", new byte[8], 1, false)
                        .waitForCompletion(10_000), () -> {
                            try {
                                p.disconnectForcibly(0, 1_000, false);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }, null);
                p.close(true);
            }
        }
        unplug = Stats.sorted(unplug);
        raw = Stats.sorted(raw);
        forcibly = Stats.sorted(forcibly);
        double ratio = (double) Stats.median(unplug) / Stats.median(raw);
        r.row("drop under a QoS 1 publish: publisher back, drop() vs a raw socket close", Stats.us(Stats.median(unplug)),
                Stats.us(Stats.p99(unplug)), Stats.us(Stats.median(raw)), Stats.us(Stats.p99(raw)), Stats.x(ratio),
                "each publisher got CONNECTION_DROPPED");
        r.row(Stats.f("(second anchor, %d samples) Paho disconnectForcibly(0, 1 s) under its own publish waiting in"
                + " waitForCompletion(10 s)", forcedSamples), "-", "-", Stats.us(Stats.median(forcibly)),
                Stats.us(Stats.p99(forcibly)), Stats.x((double) Stats.median(unplug) / Stats.median(forcibly)),
                Stats.median(forcibly) >= TimeUnit.SECONDS.toNanos(9) ? "the publisher was not released: it waited"
                        + " out its own 10 s" : "");
        r.series("mqtt drop: blocked publisher back", "Unplug drop()", unplug);
        r.series("mqtt drop: blocked publisher back", "raw socket close", raw);
        r.series("mqtt drop: blocked publisher back", "Paho disconnectForcibly", forcibly);
        r.judge(ratio <= 1.2).note(Stats.f("drop: %s of a raw socket close under a blocked reader (goal <= 1.2x)",
                Stats.x(ratio)));
    }

    private static void bulk(Result r, PluginHost host, int n) throws Exception {
        Connection witness = host.open(URI + "?clientId=bench-will-witness", Options.empty());
        witness.connect();
        MqttSession watch = witness.unwrap(MqttSession.class);
        watch.subscribe("bench/will/#", 1);
        PluginHost sessions = PluginHost.builder().build();
        List<Connection> all = new ArrayList<>();
        Set<String> busyTopics = new HashSet<>();
        CountDownLatch blocked = new CountDownLatch(n / 2);
        java.util.concurrent.ExecutorService connecting = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<Connection>> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String topic = "bench/will/" + i;
            made.add(connecting.submit(() -> {
                Connection c = sessions.open(URI + "?clientId=bench-" + topic.replace('/', '-') + "&willTopic="
                        + topic + "&willPayload=gone&willQos=1", Options.empty());
                c.connect();
                return c;
            }));
        }
        for (int i = 0; i < n; i++) {
            Connection c = made.get(i).get(60, TimeUnit.SECONDS);
            all.add(c);
            if (i % 2 == 0) {
                busyTopics.add("bench/will/" + i);
                MqttSession s = c.unwrap(MqttSession.class);
                Thread t = new Thread(() -> {
                    blocked.countDown();
                    try {
                        while (true) {
                            s.receive(Duration.ofSeconds(30)); // busy until the session ends
                        }
                    } catch (RuntimeException expected) {
                        // ended under it
                    }
                }, "bench-mqtt-receive-" + i);
                t.setDaemon(true);
                t.start();
            }
        }
        connecting.shutdown();
        blocked.await(10, TimeUnit.SECONDS);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (all.stream().filter(c -> c.state() == ConnectionState.BUSY).count() < n / 2
                && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        long t0 = System.nanoTime();
        ShutdownReport report = sessions.shutdown(Duration.ofSeconds(2));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        long notEnded = all.stream().filter(c -> c.state() != ConnectionState.DISCONNECTED).count();
        List<String> wills = new CopyOnWriteArrayList<>();
        long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < quiet) {
            Optional<Message> m = watch.receive(Duration.ofMillis(500));
            if (m.isPresent()) {
                wills.add(m.get().topic());
                quiet = Math.max(quiet, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500));
            } else if (wills.size() >= n / 2) {
                break;
            }
        }
        witness.disconnect();
        sessions.close();
        Set<String> droppedTopics = new HashSet<>();
        Set<String> cleanTopics = new HashSet<>();
        for (int i = 0; i < n; i++) {
            DisconnectOutcome.Kind k = all.get(i).outcome().map(DisconnectOutcome::kind).orElse(null);
            if (k == DisconnectOutcome.Kind.DROPPED) {
                droppedTopics.add("bench/will/" + i);
            } else if (k == DisconnectOutcome.Kind.CLEAN) {
                cleanTopics.add("bench/will/" + i);
            }
        }
        Set<String> seen = new HashSet<>(wills);
        long ofDropped = seen.stream().filter(droppedTopics::contains).count();
        long ofClean = seen.stream().filter(cleanTopics::contains).count();
        boolean exact = ofDropped == droppedTopics.size() && ofClean == 0;
        r.row(Stats.f("bulk: host.shutdown(2 s) of %,d with a Will each, half busy in receive", n),
                Stats.f("%,d ms", took.toMillis()), "-", "-", "-", "-", report.counts() + Stats.f("; %d not ended;"
                + " Wills published: %d of %d DROPPED, %d of %d CLEAN (%d in all; %d of the busy sessions)", notEnded,
                ofDropped, droppedTopics.size(), ofClean, cleanTopics.size(), wills.size(), seen.stream()
                .filter(busyTopics::contains).count()));
        r.judge(took.compareTo(Duration.ofMillis(2_100)) <= 0 && notEnded == 0 && exact);
    }

    /** Starts the blocking work on another thread, waits until it waits, ends, and times the thread's return. */
    private static long blockedThenEnded(Work work, Runnable end, java.util.function.BooleanSupplier busy)
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        long[] back = new long[1];
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                work.run();
            } catch (Exception | Error expected) {
                // ended under it: the point of the measure
            }
            back[0] = System.nanoTime();
        }, "bench-mqtt-blocked");
        t.start();
        started.await();
        if (busy != null) {
            while (!busy.getAsBoolean()) {
                Thread.onSpinWait();
            }
        }
        Thread.sleep(20); // the PUBLISH has gone out and the thread waits for its PUBACK
        long t0 = System.nanoTime();
        end.run();
        t.join(10_000);
        return back[0] - t0;
    }

    /** Blocking work of a measure. */
    private interface Work {
        void run() throws Exception;
    }

    private static MqttAsyncClient paho(String id) throws Exception {
        MqttAsyncClient p = new MqttAsyncClient("tcp://127.0.0.1:11883", id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("unplug");
        o.setPassword("unplug-mqtt-pw".toCharArray());
        p.connect(o).waitForCompletion(10_000);
        return p;
    }


    /** A broker that answers CONNECT with CONNACK and then reads everything and answers nothing. */
    private static final class MutedBroker implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        MutedBroker() throws IOException {
            server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "bench-mqtt-muted");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread t = new Thread(() -> serve(s), "bench-mqtt-muted-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void serve(Socket s) {
            try (s) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                int first = in.read();
                if (first >>> 4 != 1) {
                    in.transferTo(OutputStream.nullOutputStream()); // not MQTT: the raw socket anchor
                    return;
                }
                int length = 0;
                for (int shift = 0; ; shift += 7) {
                    int b = in.readUnsignedByte();
                    length |= (b & 0x7f) << shift;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
                in.readFully(new byte[length]);
                out.write(new byte[] {0x20, 2, 0, 0});
                out.flush();
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
