package dev.unplug.testkit.peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * A loopback peer that holds thousands of connections on one NIO thread: it greets each client with one line,
 * then either stays silent for ever ({@link #silent()}) or answers the goodbye line and closes
 * ({@link #answering()}). It is the fixture for shutdown tests and benchmarks of many open connections, where
 * {@link LoopbackPeer}'s thread per connection would not scale.
 *
 * <pre>{@code
 * try (ManyConnectionsPeer peer = ManyConnectionsPeer.silent(); PluginHost host = ...) {
 *     for (int i = 0; i < 1000; i++) {
 *         host.open(peer.uri("tcp"), Options.empty()).connect();
 *     }
 *     host.shutdown(Duration.ofMillis(500)); // every goodbye goes unanswered
 * }
 * }</pre>
 *
 * <h2>What it records</h2>
 * Counters only, no lines: connections {@link #accepted()}, connections still {@link #open()}, complete
 * {@link #goodbyes()} lines received (counted whether answered or not), and connections the client
 * {@link #hungUp() hung up} (end of stream or reset) before the peer closed them. The peer closes its end when the
 * client closes, so that its sockets do not outlive the client's.
 *
 * <h2>Threads and resources</h2>
 * One daemon thread named {@code unplug-peer-<port>-nio}, whatever the number of connections; it binds
 * {@code 127.0.0.1} on a port the system chooses. {@link #close()} stops the thread and closes the server socket
 * and every accepted socket; it is idempotent and never throws. Thread-safe: the counters may be read from any
 * thread. Binding failures raise {@link UncheckedIOException}.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ManyConnectionsPeer implements AutoCloseable {

    /** Longest line kept while waiting for its end; longer lines are counted as not the goodbye. */
    private static final int MAX_LINE = 8 * 1024;

    private final ByteBuffer greeting;
    private final String goodbye;
    private final ByteBuffer reply;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger goodbyes = new AtomicInteger();
    private final AtomicInteger hungUp = new AtomicInteger();
    private volatile boolean running = true;

    private ManyConnectionsPeer(Builder b) throws IOException {
        this.greeting = ascii(b.greeting);
        this.goodbye = b.goodbye;
        this.reply = b.reply == null ? null : ascii(b.reply);
        this.selector = Selector.open();
        try {
            this.server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), b.backlog);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        this.thread = new Thread(this::loop, "unplug-peer-" + port() + "-nio");
        thread.setDaemon(true);
        thread.start();
    }

    /** A peer that greets {@code HELLO}, then never sends another byte (it counts {@code QUIT} lines). */
    public static ManyConnectionsPeer silent() {
        return builder().start();
    }

    /** A peer that greets {@code HELLO}, answers {@code QUIT} with {@code BYE} and closes the connection. */
    public static ManyConnectionsPeer answering() {
        return builder().answerGoodbye("BYE").start();
    }

    /** A builder: greeting {@code HELLO}, goodbye line {@code QUIT}, silent, backlog 4096. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the peer listens on, at {@code 127.0.0.1}. */
    public int port() {
        return server.socket().getLocalPort();
    }

    /** {@code scheme://127.0.0.1:port}. */
    public URI uri(String scheme) {
        return URI.create(Objects.requireNonNull(scheme, "scheme") + "://127.0.0.1:" + port());
    }

    /** How many connections the peer has accepted since it started. */
    public int accepted() {
        return accepted.get();
    }

    /** How many accepted connections the peer still holds open. */
    public int open() {
        return open.get();
    }

    /** How many goodbye lines the peer has received, answered or not. */
    public int goodbyes() {
        return goodbyes.get();
    }

    /** How many clients closed or reset their end before the peer closed the connection. */
    public int hungUp() {
        return hungUp.get();
    }

    private void loop() {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        while (running) {
            try {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        read(key, buffer);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            accepted.incrementAndGet();
            open.incrementAndGet();
            try {
                c.configureBlocking(false);
                c.write(greeting.duplicate());
                c.register(selector, SelectionKey.OP_READ, new ByteArrayOutputStream());
            } catch (IOException e) {
                closeChannel(c);
            }
        }
    }

    private void read(SelectionKey key, ByteBuffer buffer) {
        SocketChannel c = (SocketChannel) key.channel();
        int n;
        try {
            buffer.clear();
            n = c.read(buffer);
        } catch (IOException e) {
            n = -1; // reset by the client
        }
        if (n < 0) {
            hungUp.incrementAndGet();
            close(key);
            return;
        }
        ByteArrayOutputStream line = (ByteArrayOutputStream) key.attachment();
        for (int i = 0; i < n; i++) {
            byte b = buffer.get(i);
            if (b != '\n') {
                if (line.size() <= MAX_LINE) {
                    line.write(b);
                }
                continue;
            }
            String text = line.toString(StandardCharsets.US_ASCII).strip();
            line.reset();
            if (text.equalsIgnoreCase(goodbye)) {
                goodbyes.incrementAndGet();
                if (reply != null) {
                    try {
                        c.write(reply.duplicate());
                    } catch (IOException e) {
                        // the client went away first; closing anyway
                    }
                    close(key);
                    return;
                }
            }
        }
    }

    private void close(SelectionKey key) {
        key.cancel();
        closeChannel((SocketChannel) key.channel());
    }

    private void closeChannel(SocketChannel c) {
        if (c.isOpen()) {
            open.decrementAndGet();
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Stops the thread (waiting at most 5 s), then closes every accepted socket and the server socket. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.channel() instanceof SocketChannel) {
                    close(key);
                }
            }
            selector.close();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    private static ByteBuffer ascii(String line) {
        return ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    /**
     * Chooses what a {@link ManyConnectionsPeer} says. Lines are sent with {@code CRLF} appended. Not thread-safe;
     * {@link #start()} may be called more than once, each call starting a new peer.
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public static final class Builder {

        private String greeting = "HELLO";
        private String goodbye = "QUIT";
        private String reply;
        private int backlog = 4096;

        private Builder() {
        }

        /** The line sent to each client on accept. */
        public Builder greeting(String line) {
            this.greeting = Objects.requireNonNull(line, "greeting");
            return this;
        }

        /** The line the client sends to say goodbye (compared ignoring case and surrounding blanks). */
        public Builder goodbye(String line) {
            this.goodbye = Objects.requireNonNull(line, "goodbye").strip();
            return this;
        }

        /** Answer the goodbye with {@code line}, then close the connection (the default is never to answer). */
        public Builder answerGoodbye(String line) {
            this.reply = Objects.requireNonNull(line, "reply");
            return this;
        }

        /** The listen backlog: how many connections may wait to be accepted (at least 1). */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be at least 1, not " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * Binds and starts a peer.
         *
         * @throws UncheckedIOException when the peer cannot bind or open its selector
         */
        public ManyConnectionsPeer start() {
            try {
                return new ManyConnectionsPeer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the many-connections peer on 127.0.0.1", e);
            }
        }
    }
}
