package dev.unplug.mqtt;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.MqttSession;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import dev.unplug.spi.OwnedSocket;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One MQTT session on a Paho client (3.1.1 or 5) whose socket the plugin owns ({@link OwnedSocket}, given to Paho
 * through its socket factory; TLS for {@code mqtts} layered by that socket). A graceful disconnect writes DISCONNECT
 * itself between two of Paho's packets (MQTT 5: reason 0x00, or 0x04 with
 * {@value MqttSettings#DISCONNECT_WITH_WILL}), half-closes, and then waits, within
 * the deadline, for the broker to close the connection, which MQTT says it does on DISCONNECT: CLEAN when it does
 * (the broker discarded the Will, or, with 0x04, published it as asked), ESCALATED at the deadline. A drop closes
 * the socket at once from any thread, sending nothing: the broker publishes the Will. The application publishes and
 * subscribes through {@code unwrap(MqttSession.class)}. Thread-safe.
 */
final class MqttConnection extends AbstractConnection implements Session.Owner {

    private final MqttSettings settings;
    private volatile OwnedSocket socket;
    private volatile Paho paho;
    private volatile Session session;
    /** Set before the socket is read by an abort: a socket Paho asks for afterwards is closed at once. */
    private volatile boolean aborted;
    /** Counted down when Paho has written its first packet (CONNECT) on the socket. */
    private final CountDownLatch connectSent = new CountDownLatch(1);
    private volatile Wire wire;

    MqttConnection(URI uri, Options options, MqttSettings settings) {
        super("mqtt", uri, options);
        this.settings = settings;
    }

    // ------------------------------------------------------------------ for the session

    @Override
    public <T> T run(String what, Command<T> work) {
        return command(what, work);
    }

    @Override
    public Duration readTimeout() {
        return options().readTimeout();
    }

    @Override
    public URI shownUri() {
        return uri();
    }

    // ------------------------------------------------------------------ the connection's hooks

    @Override
    protected void openTransport(Duration connectTimeout) throws Exception {
        Paho p = settings.version() == 5 ? PahoV5.create(settings) : PahoV3.create(settings);
        paho = p;
        session = new Session(p, this);
        CompletableFuture<Void> connected = p.connect(settings, new Sockets(), userName().orElse(null),
                password().orElse(null));
        try {
            connected.get(Math.max(1, connectTimeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon();
            throw new SocketTimeoutException("no CONNACK from " + settings.host() + ":" + settings.port()
                    + " within the connect timeout (" + connectTimeout.toMillis() + " ms)");
        } catch (ExecutionException e) {
            abandon();
            throw MqttErrors.ofPaho(uri(), "connect", e.getCause());
        }
        advance(ConnectionState.CONNECTED);
        advance(ConnectionState.AUTHENTICATED);
    }

    /** A connect that failed: the socket closed, which ends Paho's connect and its threads. */
    private void abandon() {
        abortTransport(false);
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        long until = System.nanoTime() + remaining.toNanos();
        sendGoodbye(remaining);
        return readGoodbye(Duration.ofNanos(Math.max(1_000_000L, until - System.nanoTime())));
    }

    /**
     * DISCONNECT written by the plugin between two of Paho's packets, then the output half-closed; the broker's close
     * is awaited later. Paho is not told: its reader goes on reading and meets the broker's end, which is how the
     * plugin observes it (Paho's own disconnect stops its reader, sometimes before that end arrives).
     */
    @Override
    protected GoodbyeReply sendGoodbye(Duration remaining) throws Exception {
        Wire w = wire;
        if (w == null) {
            throw new IOException("Paho has not opened the socket's output");
        }
        w.goodbye(settings.version() == 5 ? new byte[] {(byte) 0xe0, 1, (byte) (settings.disconnectWithWill() ? 0x04
                : 0x00)} : new byte[] {(byte) 0xe0, 0});
        try {
            socket.shutdownOutput();
        } catch (IOException alreadyClosed) {
            // the broker closed first and Paho, meeting that end, closed the socket: the end is recorded
        }
        return null;
    }

    @Override
    protected boolean goodbyeAnswerReady() {
        OwnedSocket s = socket;
        return s == null || s.endArrived();
    }

    @Override
    protected GoodbyeReply readGoodbye(Duration remaining) throws Exception {
        try {
            socket.awaitEnd(Math.max(1, remaining.toMillis()));
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("DISCONNECT sent; the broker did not close the connection within the"
                    + " deadline");
        }
        return GoodbyeReply.accepted(settings.disconnectWithWill()
                ? "DISCONNECT with reason 0x04 sent; the broker closed the connection (it publishes the Will)"
                : "DISCONNECT sent; the broker closed the connection (it discards the Will)");
    }

    @Override
    protected void abortTransport(boolean reset) {
        aborted = true;
        Session session = this.session;
        if (session != null) {
            session.end("the connection was dropped"); // first: a thread waiting in a call returns at once
        }
        OwnedSocket s = socket;
        if (s != null && s.isConnected() && connectSent.getCount() > 0) {
            // Paho 1.2.5 (3 and 5) hangs its connect thread for ever when its socket ends between its TCP connect and
            // the start of its sender thread (CommsSender.start waits for a thread that has already ended): the
            // socket closes once CONNECT is out (Paho is past that point), or after 2 s, off this thread
            cleanUpLater("closing the socket of " + uri() + " once Paho has sent CONNECT", () -> {
                try {
                    connectSent.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                s.abort(reset);
            });
        } else if (s != null) {
            s.abort(reset);
        }
    }

    @Override
    protected void releaseTransport() {
        OwnedSocket s = socket;
        if (s != null) {
            s.abort(false);
        }
        Session session = this.session;
        if (session != null) {
            session.end("the connection was disconnected");
        }
        // Paho's threads end by themselves once its socket has gone (its receiver meets the end, and Paho shuts
        // the connection down); Paho's close() would only race that shutdown (closing while it runs leaves its
        // sender and callback threads behind), so it is not called.
    }

    @Override
    protected Object view(Class<?> type) {
        return type == MqttSession.class ? session : null;
    }

    @Override
    protected UnplugException translate(Exception failure, String during) {
        return MqttErrors.isPahos(failure) ? MqttErrors.ofPaho(uri(), during, failure)
                : super.translate(failure, during);
    }

    /**
     * Paho's output: each packet Paho flushes reaches the socket in one write, under a lock the goodbye takes too, so
     * that the plugin's DISCONNECT never lands inside one of Paho's packets; after it, Paho's writes (a PINGREQ, a
     * PUBACK) are discarded, since MQTT allows nothing after DISCONNECT.
     */
    private final class Wire extends FilterOutputStream {
        private final java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream(256);
        private boolean closed;

        Wire(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public synchronized void write(int b) {
            packet.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            packet.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            if (packet.size() == 0) {
                return;
            }
            try {
                if (!closed) {
                    packet.writeTo(out);
                    out.flush();
                }
            } finally {
                packet.reset();
            }
            connectSent.countDown();
        }

        synchronized void goodbye(byte[] disconnect) throws IOException {
            closed = true;
            packet.reset();
            out.write(disconnect);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
            out.close();
        }
    }

    /** The factory Paho makes the session's socket with: the first socket is the plugin's own. */
    private final class Sockets extends OwnedSocket.Factory {

        @Override
        public Socket createSocket() throws IOException {
            OwnedSocket s = OwnedSocket.forClientThatReads(settings.tls(), settings.host());
            long cap = options().maxReplySize();
            s.inspectInput(in -> new PacketGuard(in, cap));
            s.inspectOutput(out -> {
                Wire w = new Wire(out);
                wire = w;
                return w;
            });
            socket = s;
            if (aborted) {
                s.abort(false); // dropped, or timed out, while Paho was starting: never leave a socket behind
            }
            return s;
        }
    }
}
