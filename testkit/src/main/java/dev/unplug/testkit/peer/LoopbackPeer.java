package dev.unplug.testkit.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * A line-protocol server on {@code 127.0.0.1} (port chosen by the system) that plays a {@link LineScript}, well
 * or badly, and records everything it receives so that tests can assert on the wire: "the goodbye was sent
 * exactly once", "a drop sent nothing", "open did no I/O".
 *
 * <pre>{@code
 * try (LoopbackPeer peer = LoopbackPeer.neverAnswersGoodbye(LineScript.smtp().build())) {
 *     Connection c = provider.open(peer.uri("smtp"), Options.empty());
 *     c.connect();
 *     assertThat(c.disconnect(Duration.ofMillis(300)).kind()).isEqualTo(ESCALATED);
 *     assertThat(peer.goodbyeCount()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <h2>Behaviours</h2>
 * Chosen with the {@link Builder} or the factory methods: {@link #scripted normal}, {@link #silentAfterAccept()
 * silent after accept}, {@link #neverAnswersGoodbye never answers the goodbye}, {@link #resetsOnGoodbye resets
 * (SO_LINGER 0) on the goodbye}, {@link #answersGarbage answers garbage}, {@link #answersSlowly answers slowly};
 * any of them over implicit TLS ({@link Builder#tls()}) with the certificate of {@link PeerTls}. A normal peer
 * closes the connection after answering the goodbye. {@link #mute()} makes a running peer stop answering, to
 * leave a client blocked in a read.
 *
 * <h2>Threads and resources</h2>
 * One daemon acceptor thread plus one daemon thread per open connection (ended when the connection closes).
 * {@link #close()} closes the server socket and every accepted socket and joins every thread it made. Thread
 * names start with {@code unplug-peer-}. Thread-safe. Binding failures raise {@link UncheckedIOException}.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class LoopbackPeer implements AutoCloseable {

    /** How long {@link #close()} waits for each of its threads. */
    private static final long JOIN_MILLIS = 2_000;

    final LineScript script;
    final boolean silent;
    final boolean neverAnswerGoodbye;
    final boolean resetOnGoodbye;
    final boolean garbage;
    final boolean garbageGreeting;
    final java.util.function.Predicate<String> endlessRequest;
    final String endlessFirst;
    final String endlessRepeat;
    final boolean endlessGreeting;
    private volatile Duration delay;
    final Duration goodbyeDelay;
    final boolean tls;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<PeerConnection> connections = new CopyOnWriteArrayList<>();
    private final List<PeerSession> sessions = new CopyOnWriteArrayList<>();
    private volatile boolean muted;
    private volatile boolean closed;

    private LoopbackPeer(Builder b) throws IOException {
        this.script = b.script;
        this.silent = b.silent;
        this.neverAnswerGoodbye = b.neverAnswerGoodbye;
        this.resetOnGoodbye = b.resetOnGoodbye;
        this.garbage = b.garbage;
        this.garbageGreeting = b.garbageGreeting;
        this.endlessRequest = b.endlessRequest;
        this.endlessFirst = b.endlessFirst;
        this.endlessRepeat = b.endlessRepeat;
        this.endlessGreeting = b.endlessGreeting;
        this.delay = b.delay;
        this.goodbyeDelay = b.goodbyeDelay;
        this.tls = b.tls;
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        this.server = tls ? PeerTls.serverContext().getServerSocketFactory().createServerSocket(0, 200, loopback)
                : new ServerSocket(0, 200, loopback);
        this.acceptor = new Thread(null, this::acceptLoop, "unplug-peer-" + port() + "-acceptor", 256 * 1024);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    // ------------------------------------------------------------------ factories

    /**
     * A builder for a peer that plays the script.
     *
     * @param script what the peer says
     * @return a builder, normal behaviour unless changed
     */
    public static Builder builder(LineScript script) {
        return new Builder(Objects.requireNonNull(script, "script"));
    }

    /** A peer that plays the script normally. */
    public static LoopbackPeer scripted(LineScript script) {
        return builder(script).start();
    }

    /** A peer that accepts connections, reads and records, and never sends a byte. */
    public static LoopbackPeer silentAfterAccept() {
        return builder(LineScript.builder().build()).silentAfterAccept().start();
    }

    /** A peer that plays the script but never answers the goodbye (and keeps the connection open). */
    public static LoopbackPeer neverAnswersGoodbye(LineScript script) {
        return builder(script).neverAnswerGoodbye().start();
    }

    /** A peer that plays the script and resets the connection (SO_LINGER 0 close) when the goodbye arrives. */
    public static LoopbackPeer resetsOnGoodbye(LineScript script) {
        return builder(script).resetOnGoodbye().start();
    }

    /** A peer that greets as the script says, then answers every line (goodbye included) with garbage. */
    public static LoopbackPeer answersGarbage(LineScript script) {
        return builder(script).answerGarbage().start();
    }

    /** A peer that plays the script but waits {@code delay} before each greeting and reply. */
    public static LoopbackPeer answersSlowly(Duration delay, LineScript script) {
        return builder(script).replyDelay(delay).start();
    }

    // ------------------------------------------------------------------ queries

    /** The port the peer listens on, at {@code 127.0.0.1}. */
    public int port() {
        return server.getLocalPort();
    }

    /** The address the peer listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), port());
    }

    /** {@code scheme://127.0.0.1:port}. */
    public URI uri(String scheme) {
        return URI.create(Objects.requireNonNull(scheme, "scheme") + "://127.0.0.1:" + port());
    }

    /** {@code scheme://userInfo@127.0.0.1:port}, for example {@code pop3://alice:secret@127.0.0.1:port}. */
    public URI uri(String scheme, String userInfo) {
        return URI.create(Objects.requireNonNull(scheme, "scheme") + "://" + Objects.requireNonNull(userInfo,
                "userInfo") + "@127.0.0.1:" + port());
    }

    /** Whether the peer speaks TLS from the first byte. */
    public boolean isTls() {
        return tls;
    }

    /** The script this peer plays. */
    public LineScript script() {
        return script;
    }

    /** How many connections the peer has accepted. */
    public int acceptedCount() {
        return connections.size();
    }

    /** Every accepted connection, in order. */
    public List<PeerConnection> connections() {
        return List.copyOf(connections);
    }

    /**
     * An accepted connection.
     *
     * @param index from 0, in order of acceptance
     * @throws IndexOutOfBoundsException when fewer were accepted
     */
    public PeerConnection connection(int index) {
        return connections.get(index);
    }

    /** Every line received on every connection, in order of acceptance then arrival. */
    public List<String> receivedLines() {
        List<String> all = new ArrayList<>();
        connections.forEach(c -> all.addAll(c.lines()));
        return all;
    }

    /** How many goodbye lines the peer received, over all connections. */
    public int goodbyeCount() {
        return connections.stream().mapToInt(PeerConnection::goodbyes).sum();
    }

    /**
     * Waits until at least {@code count} connections were accepted.
     *
     * @return whether they were
     */
    public boolean awaitConnections(int count, Duration timeout) {
        return awaitCondition(() -> acceptedCount() >= count, timeout);
    }

    /**
     * Waits until at least {@code count} goodbye lines arrived.
     *
     * @return whether they did
     */
    public boolean awaitGoodbyes(int count, Duration timeout) {
        return awaitCondition(() -> goodbyeCount() >= count, timeout);
    }

    /**
     * Changes the wait before each reply from now on (the goodbye's included), for example to keep a command in
     * flight while a test acts.
     *
     * @param replyDelay the new wait; zero for none
     */
    public void delayReplies(Duration replyDelay) {
        if (Objects.requireNonNull(replyDelay, "replyDelay").isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + replyDelay);
        }
        this.delay = replyDelay;
    }

    Duration delay() {
        return delay;
    }

    /** Stops answering anything on every connection (lines are still recorded), to leave clients blocked. */
    public void mute() {
        muted = true;
    }

    /** Answers again after {@link #mute()}. */
    public void unmute() {
        muted = false;
    }

    boolean isMuted() {
        return muted;
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the server socket and every connection, and joins every thread the peer made. Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        sessions.forEach(PeerSession::abort);
        join(acceptor);
        sessions.forEach(s -> join(s.thread()));
    }

    @Override
    public String toString() {
        return "LoopbackPeer[127.0.0.1:" + port() + (tls ? " tls" : "") + ", " + acceptedCount() + " accepted, "
                + goodbyeCount() + " goodbyes" + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ internals

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            PeerConnection record = new PeerConnection(connections.size());
            PeerSession session = new PeerSession(this, s, record);
            sessions.add(session);
            connections.add(record);
            if (closed) {
                session.abort();
                return;
            }
            session.start("unplug-peer-" + port() + "-conn-" + record.index());
        }
    }

    private static boolean awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    private static void join(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        t.interrupt();
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Chooses a peer's behaviour. Not thread-safe; {@link #start()} binds and starts the peer. */
    @API(status = API.Status.STABLE, since = "0.1")
    public static final class Builder {
        private final LineScript script;
        private boolean silent;
        private boolean neverAnswerGoodbye;
        private boolean resetOnGoodbye;
        private boolean garbage;
        private boolean garbageGreeting;
        private java.util.function.Predicate<String> endlessRequest;
        private String endlessFirst;
        private String endlessRepeat;
        private boolean endlessGreeting;
        private Duration delay = Duration.ZERO;
        private Duration goodbyeDelay = Duration.ZERO;
        private boolean tls;

        private Builder(LineScript script) {
            this.script = script;
        }

        /** Never send a byte: no greeting, no reply. */
        public Builder silentAfterAccept() {
            silent = true;
            return this;
        }

        /** Record the goodbye but never answer it, and keep the connection open. */
        public Builder neverAnswerGoodbye() {
            neverAnswerGoodbye = true;
            return this;
        }

        /** Reset the connection (SO_LINGER 0 close) when the goodbye arrives, without answering it. */
        public Builder resetOnGoodbye() {
            resetOnGoodbye = true;
            return this;
        }

        /** Answer every line, the goodbye included, with binary noise and non-protocol text. */
        public Builder answerGarbage() {
            garbage = true;
            return this;
        }

        /** Greet with binary noise instead of the script's greeting. */
        public Builder greetWithGarbage() {
            garbageGreeting = true;
            return this;
        }

        /**
         * Answer a request that matches with a reply that never ends: {@code first} (a line, sent with CRLF),
         * then {@code repeat} over and over exactly as given, until the client closes (or 1 GiB has been sent):
         * {@code repeat} without a line end makes one endless line, {@code "250-more\r\n"} endless lines. For
         * checking that a client bounds what it collects.
         *
         * @param request which request gets the endless reply
         * @param first the first line, without line end; empty for none
         * @param repeat what is then sent again and again, not empty
         */
        public Builder endlessReplyTo(java.util.function.Predicate<String> request, String first, String repeat) {
            this.endlessRequest = Objects.requireNonNull(request, "request");
            return endless(first, repeat);
        }

        /**
         * Greet with a greeting that never ends: {@code first}, then {@code repeat} over and over, as
         * {@link #endlessReplyTo} sends it.
         *
         * @param first the first line, without line end; empty for none
         * @param repeat what is then sent again and again, not empty
         */
        public Builder endlessGreeting(String first, String repeat) {
            this.endlessGreeting = true;
            return endless(first, repeat);
        }

        private Builder endless(String first, String repeat) {
            this.endlessFirst = Objects.requireNonNull(first, "first");
            if (Objects.requireNonNull(repeat, "repeat").isEmpty()) {
                throw new IllegalArgumentException("repeat must not be empty");
            }
            this.endlessRepeat = repeat;
            return this;
        }

        /** Wait this long before the greeting and before each reply. */
        public Builder replyDelay(Duration delay) {
            if (Objects.requireNonNull(delay, "delay").isNegative()) {
                throw new IllegalArgumentException("delay must not be negative: " + delay);
            }
            this.delay = delay;
            return this;
        }

        /** Wait this long before answering the goodbye (on top of any {@link #replyDelay}). */
        public Builder goodbyeDelay(Duration delay) {
            if (Objects.requireNonNull(delay, "delay").isNegative()) {
                throw new IllegalArgumentException("delay must not be negative: " + delay);
            }
            this.goodbyeDelay = delay;
            return this;
        }

        /** Speak TLS from the first byte (implicit TLS), with the certificate of {@link PeerTls}. */
        public Builder tls() {
            tls = true;
            return this;
        }

        /** Binds {@code 127.0.0.1:0} and starts accepting. */
        public LoopbackPeer start() {
            try {
                return new LoopbackPeer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind a loopback peer on 127.0.0.1", e);
            }
        }
    }
}
