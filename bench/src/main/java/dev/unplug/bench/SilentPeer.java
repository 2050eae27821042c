package dev.unplug.bench;

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
 * An in-process loopback peer on one NIO thread: greets each client with one line, then never answers anything.
 * It closes its end when the client closes, so that its sockets do not count as the client's leaks.
 */
final class SilentPeer implements AutoCloseable {

    private static final byte[] GREETING = "HELLO\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Selector selector;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean running = true;

    SilentPeer() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::loop, "bench-silent-peer");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** How many accepted connections the peer still holds open. */
    int openConnections() {
        return open.get();
    }

    private void loop() {
        ByteBuffer sink = ByteBuffer.allocate(512);
        while (running) {
            try {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel c;
                        while ((c = server.accept()) != null) {
                            open.incrementAndGet();
                            c.configureBlocking(false);
                            c.write(ByteBuffer.wrap(GREETING));
                            c.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        sink.clear();
                        if (readOrClose(key, sink) < 0) {
                            close(key);
                            open.decrementAndGet();
                        }
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

    private static int readOrClose(SelectionKey key, ByteBuffer sink) {
        try {
            return ((SocketChannel) key.channel()).read(sink);
        } catch (IOException e) {
            return -1;
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
    public void close() throws IOException, InterruptedException {
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
