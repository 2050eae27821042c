package dev.unplug.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process loopback peer on one NIO thread, whatever the number of connections: it greets each client with
 * {@code HELLO}, then either answers {@code QUIT} with {@code BYE} or stays silent for ever. It closes its end when
 * the client closes, so that no socket outlives the client's.
 */
final class LoopbackPeer implements AutoCloseable {

    private static final ByteBuffer GREETING = ByteBuffer.wrap("HELLO\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final ByteBuffer BYE = ByteBuffer.wrap("BYE\r\n".getBytes(StandardCharsets.US_ASCII));

    private final boolean answers;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger quits = new AtomicInteger();
    private final AtomicInteger hungUp = new AtomicInteger();
    private volatile boolean running = true;

    private LoopbackPeer(boolean answers) throws IOException {
        this.answers = answers;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::loop, "loopback-peer");
        thread.setDaemon(true);
        thread.start();
    }

    /** A peer that answers {@code QUIT} with {@code BYE} and closes. */
    static LoopbackPeer answering() throws IOException {
        return new LoopbackPeer(true);
    }

    /** A peer that greets, then never sends another byte. */
    static LoopbackPeer silent() throws IOException {
        return new LoopbackPeer(false);
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** A URI of the given scheme pointing at this peer. */
    String uri(String scheme) {
        return scheme + "://127.0.0.1:" + port();
    }

    int accepted() {
        return accepted.get();
    }

    int quits() {
        return quits.get();
    }

    /** How many clients closed their end without a goodbye the peer answered. */
    int hungUp() {
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
            c.configureBlocking(false);
            c.write(GREETING.duplicate());
            c.register(selector, SelectionKey.OP_READ, new StringBuilder());
        }
    }

    private void read(SelectionKey key, ByteBuffer buffer) {
        SocketChannel c = (SocketChannel) key.channel();
        try {
            buffer.clear();
            int n = c.read(buffer);
            if (n < 0) {
                hungUp.incrementAndGet();
                close(key);
                return;
            }
            if (!answers) {
                return;
            }
            StringBuilder line = (StringBuilder) key.attachment();
            line.append(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
            if (line.indexOf("QUIT\r\n") >= 0) {
                quits.incrementAndGet();
                c.write(BYE.duplicate());
                close(key);
            }
        } catch (IOException e) {
            close(key);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        selector.wakeup();
        thread.join(5_000);
        for (SelectionKey key : selector.keys()) {
            close(key);
        }
        selector.close();
        server.close();
    }
}
