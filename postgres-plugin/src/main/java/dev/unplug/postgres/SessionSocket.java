package dev.unplug.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The session's plain socket, beneath any TLS pgjdbc layers over it: a {@link SocketChannel}'s socket, which pgjdbc
 * uses in blocking mode like any socket. While a graceful disconnect runs, pgjdbc's {@code close()} (after it has
 * written Terminate) only half-closes it, so that the plugin can learn when the server ends the session: without
 * waiting ({@link #endArrived()}, a non-blocking read on the channel, for a host ending many sessions at once) or
 * within a deadline ({@link #awaitEnd(long)}). {@link #abort(boolean)} ends it at once, from any thread.
 * Thread-safe for those; reads and writes are pgjdbc's, one thread at a time, and the goodbye's after it.
 */
final class SessionSocket extends Socket {

    private final SocketChannel channel;
    private final Socket socket;
    private volatile boolean holdClose;
    private volatile boolean closeAsked;
    /** Set once a read returned the end (one reader at a time: the goodbye's). */
    private volatile boolean ended;
    private volatile long extra;

    SessionSocket() throws IOException {
        this.channel = SocketChannel.open(); // the descriptor exists before a drop can close it
        this.socket = channel.socket();
    }

    /** From now on pgjdbc's close only shuts the output down (after its Terminate); the plugin closes later. */
    void holdCloseForGoodbye() {
        holdClose = true;
    }

    /** Whether pgjdbc asked to close while the close was held (it did so after writing Terminate). */
    boolean closeAsked() {
        return closeAsked;
    }

    @Override
    public synchronized void close() throws IOException {
        if (holdClose && !channel.socket().isClosed()) {
            closeAsked = true;
            if (!socket.isOutputShutdown() && socket.isConnected()) {
                try {
                    socket.shutdownOutput();
                } catch (IOException ignored) {
                    // the server went first: the end is then already there
                }
            }
            return;
        }
        channel.close();
    }

    /** Whether the server has ended the stream; never waits (a non-blocking read on the channel). */
    boolean endArrived() {
        if (ended || !channel.isOpen() || socket.isInputShutdown()) {
            return true;
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
                            ended = true;
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
     * Reads and discards until the server ends the stream, within the time left.
     *
     * @return the bytes the server sent before its end (none is expected after Terminate)
     * @throws SocketTimeoutException when the server has not ended the stream in time
     */
    long awaitEnd(long millis) throws IOException {
        if (ended) {
            return extra;
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[512];
        long until = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
                ended = true;
                return extra;
            }
            extra += n;
            long left = (until - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("the server sent " + extra + " bytes and did not end the session");
            }
            socket.setSoTimeout((int) Math.max(1, left));
        }
    }

    /** Ends the socket now: input shut down first (wakes a reader at once), reset when asked, closed. */
    void abort(boolean reset) {
        holdClose = false;
        if (channel.isOpen() && socket.isConnected() && !socket.isInputShutdown()) {
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
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }

    // ------------------------------------------------------------------ the rest of Socket, the channel's

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        socket.connect(endpoint);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        socket.connect(endpoint, timeout);
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        socket.bind(bindpoint);
    }

    @Override
    public InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        InputStream in = socket.getInputStream();
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                SessionSocket.this.close(); // closing a stream closes its socket, held as the socket's close is
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        OutputStream out = socket.getOutputStream();
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
                SessionSocket.this.close();
            }
        };
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return socket.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        socket.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return socket.getSoLinger();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        socket.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return socket.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        socket.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return socket.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        socket.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return socket.getKeepAlive();
    }

    @Override
    public void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isBound() {
        return socket.isBound();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return socket.isOutputShutdown();
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        socket.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return socket.getOption(name);
    }

    @Override
    public String toString() {
        return "postgresql session socket " + socket;
    }
}
