package dev.unplug.spi;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.apiguardian.api.API;

/**
 * A socket a plugin owns and lends to a client library that makes its own sockets through a
 * {@link javax.net.SocketFactory} (pgjdbc, Paho, ...): the library connects, reads and writes it as any socket, while
 * the plugin keeps what the contract needs of it.
 * <ul>
 *   <li>{@link #abort(boolean)} ends it at once from any thread, sending nothing (or a reset): the input is shut
 *       down first, so a thread blocked reading in the library returns at once.</li>
 *   <li>During a graceful disconnect ({@link #holdCloseForGoodbye()}), the library's own close after its goodbye
 *       only half-closes the socket, so the plugin can learn when the server ends the session: without waiting
 *       ({@link #endArrived()}) or within a deadline ({@link #awaitEnd(long)}).</li>
 *   <li>For a library that reads all the time on a thread of its own ({@link #forClientThatReads}), the end is
 *       what that reader meets: the plugin observes it and never reads beside it. A reset there is not an end:
 *       {@link #awaitEnd(long)} raises it. Such a socket is a plain one, not a channel's, so that the library
 *       interrupting its own reader (as thread pools do when shut down) does not close it.</li>
 *   <li>With {@link TlsSettings} that ask for implicit TLS ({@link #create(TlsSettings, String)}), connect also
 *       layers TLS with the same trust and host name rules as every socket plugin; the library sees plain
 *       streams, the drop still closes the plain socket beneath.</li>
 * </ul>
 * Thread-safe for the methods above; reads and writes are the library's, as with any socket.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class OwnedSocket extends DelegatingSocket {

    /** Null for a socket a library reads itself. */
    private final SocketChannel channel;
    private final Socket socket;
    private final TlsSettings tls;
    private final String tlsHost;
    private volatile SSLSocket secure;
    private volatile boolean holdClose;
    private volatile boolean closeAsked;
    private final boolean clientReads;
    /** Set once a read returned the end. */
    private volatile boolean ended;
    /** Set first thing by an abort. */
    private volatile boolean aborted;
    /** Set once a read failed (a reset, a close) before any end. */
    private volatile IOException broken;
    private final CountDownLatch end = new CountDownLatch(1);
    private volatile long extra;
    /** Threads inside a read or a write of this socket (the library's, through its streams, or awaitEnd's). */
    private final AtomicInteger inIo = new AtomicInteger();
    /** Set by an abort that left the close to the last thread out of a read or write. */
    private volatile boolean closeWhenIdle;
    private volatile UnaryOperator<InputStream> inspector = UnaryOperator.identity();
    private volatile UnaryOperator<OutputStream> outputInspector = UnaryOperator.identity();

    private OwnedSocket(TlsSettings tls, String tlsHost, boolean clientReads) throws IOException {
        this.clientReads = clientReads;
        if (clientReads) {
            ClosePath.socket();
        } else {
            ClosePath.channel();
        }
        this.channel = clientReads ? null : SocketChannel.open(); // the descriptor exists before a drop can close it
        this.socket = clientReads ? new Socket() : channel.socket();
        this.tls = tls;
        this.tlsHost = tlsHost;
    }

    /**
     * A plain socket, not yet connected.
     *
     * @return the socket
     * @throws IOException when the system has no socket to give
     */
    public static OwnedSocket create() throws IOException {
        return new OwnedSocket(null, null, false);
    }

    /**
     * A socket that layers TLS at connect when the settings are implicit TLS, plain otherwise.
     *
     * @param tls the connection's TLS settings
     * @param host the URI's host, for SNI and the host name check
     * @return the socket
     * @throws IOException when the system has no socket to give
     */
    public static OwnedSocket create(TlsSettings tls, String host) throws IOException {
        dev.unplug.api.UnplugException.requireNonNull(tls, "tls");
        dev.unplug.api.UnplugException.requireNonNull(host, "host");
        return new OwnedSocket(tls.implicit() ? tls : null, host, false);
    }

    /**
     * A socket for a library that reads all the time on a thread of its own (Paho's receiver, say): the end is
     * observed on its reads, never read for. TLS is layered at connect when the settings are implicit TLS.
     *
     * @param tls the connection's TLS settings
     * @param host the URI's host, for SNI and the host name check
     * @return the socket
     */
    public static OwnedSocket forClientThatReads(TlsSettings tls, String host) throws IOException {
        dev.unplug.api.UnplugException.requireNonNull(tls, "tls");
        dev.unplug.api.UnplugException.requireNonNull(host, "host");
        return new OwnedSocket(tls.implicit() ? tls : null, host, true);
    }

    /**
     * Puts a filter of the plugin's between the socket and the library's reads, for what the library does not
     * check itself: a binary protocol's frame sizes against a cap, or that the first frame is the one the protocol
     * starts with. What the filter throws reaches the library's reader like a read error (and is no end). Call it
     * before the library asks for the input stream.
     *
     * @param filter wraps the socket's input stream
     */
    public void inspectInput(UnaryOperator<InputStream> filter) {
        dev.unplug.api.UnplugException.requireNonNull(filter, "filter");
        this.inspector = filter;
    }

    /**
     * Puts a filter of the plugin's between the library's writes and the socket, to watch them (say, to learn
     * that the library's first message is out). Call it before the library asks for the output stream.
     *
     * @param filter wraps the socket's output stream
     */
    public void inspectOutput(UnaryOperator<OutputStream> filter) {
        dev.unplug.api.UnplugException.requireNonNull(filter, "filter");
        this.outputInspector = filter;
    }

    /** From now on the library's close only shuts the output down; the plugin closes later ({@link #abort}). */
    public void holdCloseForGoodbye() {
        holdClose = true;
    }

    /**
     * Whether the library asked to close while the close was held.
     *
     * @return true once it did
     */
    public boolean closeAsked() {
        return closeAsked;
    }

    @Override
    public synchronized void close() throws IOException {
        if (holdClose && !socket.isClosed()) {
            closeAsked = true;
            if (!socket.isOutputShutdown() && socket.isConnected()) {
                try {
                    if (secure != null) {
                        secure.shutdownOutput();
                    } else {
                        socket.shutdownOutput();
                    }
                } catch (IOException | UnsupportedOperationException ignored) {
                    // the server went first: the end is then already there
                }
            }
            return;
        }
        closeNow();
    }

    private void closeNow() throws IOException {
        if (channel != null) {
            channel.close();
        } else {
            socket.close();
        }
    }

    /** Held like the close while a goodbye runs: the library's reader must go on to meet the server's end. */
    @Override
    public void shutdownInput() throws IOException {
        if (holdClose) {
            closeAsked = true;
            return;
        }
        socket.shutdownInput();
    }

    /**
     * Whether the server has ended the stream; never waits (a non-blocking read on the plain socket, or, for a
     * library that reads itself, what its reads met).
     *
     * @return true once the end (or a reset, or a close) is there
     */
    public boolean endArrived() {
        if (ended || broken != null || socket.isClosed() || socket.isInputShutdown()) {
            return true;
        }
        if (clientReads) {
            return false;
        }
        ByteBuffer buffer = ByteBuffer.allocate(512);
        try {
            synchronized (channel.blockingLock()) {
                channel.configureBlocking(false);
                try {
                    while (true) {
                        buffer.clear();
                        int n = channel.read(buffer);
                        if (n < 0) {
                            sawEnd();
                            return true;
                        }
                        if (n == 0) {
                            return false;
                        }
                        extra += n;
                    }
                } finally {
                    channel.configureBlocking(true);
                }
            }
        } catch (IOException e) {
            return true; // a reset or a close: reading the answer fails at once
        }
    }

    /**
     * Waits, within the time left, until the server ends the stream: reading and discarding what comes, or, for a
     * library that reads itself, until its reads meet the end.
     *
     * @param millis the time left
     * @return the bytes the server sent before its end (read here; 0 when the library read)
     * @throws SocketTimeoutException when the server has not ended the stream in time
     * @throws IOException when reading fails, or the library's reader met a reset instead of an end
     */
    public long awaitEnd(long millis) throws IOException {
        if (ended) {
            return extra;
        }
        if (clientReads) {
            try {
                if (!end.await(Math.max(1, millis), TimeUnit.MILLISECONDS)) {
                    throw new SocketTimeoutException("the server did not end the session in time");
                }
                IOException failure = broken;
                if (!ended && failure != null) {
                    throw new IOException("the connection failed instead of ending: " + failure.getMessage(),
                            failure);
                }
                return extra;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the server's end of the session");
            }
        }
        Socket s = secure != null ? secure : socket;
        s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[512];
        long until = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            int n;
            enteredIo();
            try {
                n = in.read(buffer);
            } finally {
                leftIo();
            }
            if (n < 0) {
                sawEnd();
                IOException why = broken;
                if (!ended && why != null) {
                    throw why; // the abort's end, not the server's
                }
                return extra;
            }
            extra += n;
            long left = (until - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("the server sent " + extra + " bytes and did not end the session");
            }
            s.setSoTimeout((int) Math.max(1, left));
        }
    }

    /**
     * A read met the end of the stream: the server's, unless this socket was aborted first, whose own shutdown of the
     * input reads as an end too (an abort at a goodbye's deadline is no answer to the goodbye).
     */
    private void sawEnd() {
        if (aborted && !ended) {
            sawBreak(new SocketException("the socket was aborted before the server ended the session"));
            return;
        }
        ended = true;
        end.countDown();
    }

    private void sawBreak(IOException e) {
        if (!ended && broken == null) {
            broken = e;
        }
        end.countDown();
    }

    /**
     * Ends the socket now: input shut down first (wakes a reader at once), reset when asked, closed. Never blocks
     * on the peer; idempotent.
     *
     * <p>A channel's {@code close()} waits until every thread blocked in a read or write of it has left, which is
     * as long as the scheduler takes to run each woken thread: a shutdown dropping 500 connections with a thread in
     * a query each waited for all 500. So when a thread is inside a read or write, the abort shuts the output down
     * as well (the server reads the end at once, as after a close) and the last thread out closes the socket. A
     * reset cannot wait for that (only a close sends it), so it closes at once.
     *
     * @param reset whether to reset the connection (RST) instead of closing it (FIN)
     */
    public void abort(boolean reset) {
        aborted = true; // before the input is shut down: the end a reader then meets is this abort's
        holdClose = false;
        if (!socket.isClosed() && socket.isConnected() && !socket.isInputShutdown()) {
            try {
                socket.shutdownInput();
            } catch (IOException | RuntimeException ignored) {
                // closed meanwhile: the close below is all there is
            }
        }
        if (reset) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException | RuntimeException ignored) {
                // already closed
            }
        } else if (channel != null) {
            closeWhenIdle = true; // written before inIo is read; a thread leaving I/O decrements, then reads this
            if (inIo.get() > 0) {
                try {
                    if (socket.isConnected() && !socket.isClosed() && !socket.isOutputShutdown()) {
                        socket.shutdownOutput(); // wakes a blocked writer too
                    }
                } catch (IOException | RuntimeException ignored) {
                    // closed meanwhile
                }
                if (inIo.get() > 0) {
                    return; // the last thread out of its read or write closes it (leftIo)
                }
            }
        }
        try {
            closeNow();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }

    private void enteredIo() {
        inIo.incrementAndGet();
    }

    /** The last thread out of a read or write after an abort that left the close to it closes the socket. */
    private void leftIo() {
        if (inIo.decrementAndGet() == 0 && closeWhenIdle) {
            try {
                closeNow();
            } catch (IOException ignored) {
                // closing is all that was asked
            }
        }
    }

    // ------------------------------------------------------------------ connect, streams

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        socket.connect(endpoint, timeout);
        if (tls != null) {
            int port = endpoint instanceof InetSocketAddress a ? a.getPort() : socket.getPort();
            int before = socket.getSoTimeout();
            if (timeout > 0 && before == 0) {
                socket.setSoTimeout(timeout); // the handshake within the connect timeout, not forever
            }
            secure = tls.layer(socket, tlsHost, port);
            socket.setSoTimeout(before);
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        InputStream in = inspector.apply(secure != null ? secure.getInputStream() : socket.getInputStream());
        return new FilterInputStream(in) {
            private final byte[] one = new byte[1]; // one reader at a time, as with any socket stream

            @Override
            public int read() throws IOException {
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                enteredIo();
                try {
                    n = in.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    throw e; // the library's own read timeout: not an end
                } catch (IOException e) {
                    sawBreak(e); // a reset, or the socket closed under the reader: not an end
                    throw e;
                } finally {
                    leftIo();
                }
                if (n < 0) {
                    sawEnd();
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                OwnedSocket.this.close(); // closing a stream closes its socket, held as the socket's close is
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        OutputStream out = outputInspector.apply(secure != null ? secure.getOutputStream()
                : socket.getOutputStream());
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                enteredIo();
                try {
                    out.write(b);
                } finally {
                    leftIo();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                enteredIo();
                try {
                    out.write(b, off, len);
                } finally {
                    leftIo();
                }
            }

            @Override
            public void flush() throws IOException {
                enteredIo();
                try {
                    out.flush();
                } finally {
                    leftIo();
                }
            }

            @Override
            public void close() throws IOException {
                flush();
                OwnedSocket.this.close();
            }
        };
    }

    // ------------------------------------------------------------------ the rest of Socket: the channel's

    @Override
    Socket inner() {
        return socket;
    }

    /**
     * A socket factory for a client library that makes its own sockets unconnected and connects them itself
     * (pgjdbc's {@code socketFactory}, Paho's {@code setSocketFactory}): a subclass gives {@link #createSocket()},
     * typically an {@link OwnedSocket}; asking for an already connected socket is refused, since the plugin must own
     * every socket the library connects.
     *
     * @since 0.1
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public abstract static class Factory extends javax.net.SocketFactory {

        /** For subclasses. */
        protected Factory() {
        }

        @Override
        public abstract Socket createSocket() throws IOException;

        @Override
        public final Socket createSocket(String host, int port) {
            throw refused();
        }

        @Override
        public final Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw refused();
        }

        @Override
        public final Socket createSocket(InetAddress host, int port) {
            throw refused();
        }

        @Override
        public final Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw refused();
        }

        private UnsupportedOperationException refused() {
            return new UnsupportedOperationException(getClass().getName() + " gives unconnected sockets only: the"
                    + " library connects them itself");
        }
    }

    @Override
    public String toString() {
        return "owned socket " + socket + (secure != null ? " (TLS)" : "");
    }
}
