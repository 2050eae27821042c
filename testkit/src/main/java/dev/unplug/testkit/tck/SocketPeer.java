package dev.unplug.testkit.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * A TCK peer that is a server on a loopback port, for a plugin whose protocol the testkit's line peers do not speak
 * (binary framing, an HTTP upgrade, ...): this class accepts the connections, keeps what the TCK asks of a peer that
 * observes the wire (connections accepted, the messages of the first connection, goodbyes, whether the first
 * connection has ended) and carries out {@link #mute()} and {@link #delayReplies(Duration)}; a subclass speaks the
 * protocol in {@link #serve(Socket, List)}, one thread per connection, recording each message it reads by a name
 * of its choosing and calling {@link #sawGoodbye()} when the goodbye arrives. {@link #close()} closes the port and
 * every connection. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class SocketPeer extends TckPeer {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<List<String>> messages = new CopyOnWriteArrayList<>();
    private final List<Boolean> ended = new CopyOnWriteArrayList<>();
    private final AtomicInteger goodbyes = new AtomicInteger();
    private volatile boolean muted;
    private volatile long delayMillis;

    /**
     * Opens a port on the loopback address and starts accepting (daemon threads named after the peer).
     *
     * @param name a short name for the threads, such as {@code "mqtt"}
     * @throws UncheckedIOException when no port can be opened
     */
    protected SocketPeer(String name) {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the " + name + " peer", e);
        }
        Thread t = new Thread(() -> accept(name), "unplug-peer-" + name + "-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Speaks the protocol on one accepted connection until it ends (returning or throwing ends it; the socket is
     * closed afterwards). Read what the client sends, record each message in {@code log}, answer unless
     * {@link #muted()}, wait {@link #pause()} before an answer.
     *
     * @param socket the connection
     * @param log where to record the messages read, in order
     * @throws IOException when the client goes away or the connection fails (the end of this connection)
     * @throws InterruptedException when the peer is closing
     */
    protected abstract void serve(Socket socket, List<String> log) throws IOException, InterruptedException;

    /**
     * The port the peer listens on.
     *
     * @return the port on the loopback address
     */
    public final int port() {
        return server.getLocalPort();
    }

    /** Counts a goodbye: call it when the protocol's goodbye has been read. */
    protected final void sawGoodbye() {
        goodbyes.incrementAndGet();
    }

    /**
     * Whether the TCK asked the peer to stop answering.
     *
     * @return true after {@link #mute()}
     */
    protected final boolean muted() {
        return muted;
    }

    /**
     * Waits as long as {@link #delayReplies(Duration)} asked, before an answer.
     *
     * @throws InterruptedException when the peer is closing
     */
    protected final void pause() throws InterruptedException {
        long d = delayMillis;
        if (d > 0) {
            Thread.sleep(d);
        }
    }

    /**
     * Whether {@link #close()} was called: a loop that keeps a connection open on purpose ends on it.
     *
     * @return true once the peer is closing
     */
    protected final boolean closing() {
        return server.isClosed();
    }

    private void accept(String name) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int index;
                synchronized (messages) {
                    index = messages.size();
                    messages.add(new CopyOnWriteArrayList<>());
                    ended.add(false);
                }
                sockets.add(s);
                Thread t = new Thread(() -> run(s, index), "unplug-peer-" + name + "-conn-" + index);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void run(Socket s, int index) {
        try (s) {
            serve(s, messages.get(index));
        } catch (IOException | InterruptedException e) {
            // the client went away, or the peer is closing
        } finally {
            ended.set(index, true);
        }
    }

    @Override
    public boolean observes() {
        return true;
    }

    @Override
    public int accepted() {
        return messages.size();
    }

    @Override
    public int goodbyes() {
        return goodbyes.get();
    }

    @Override
    public List<String> messageLog() {
        return messages.isEmpty() ? List.of() : new ArrayList<>(messages.get(0));
    }

    @Override
    public boolean awaitClosed(Duration timeout) {
        return await(() -> !ended.isEmpty() && ended.get(0), timeout);
    }

    @Override
    public void mute() {
        muted = true;
    }

    @Override
    public void delayReplies(Duration delay) {
        delayMillis = delay.toMillis();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a test peer
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a test peer
            }
        }
    }
}
