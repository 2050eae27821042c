package dev.unplug.spi;

import dev.unplug.spi.internal.GuardedSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * What {@link SocketConnection#librarySocket()} hands a protocol library that reads and writes the connection's socket
 * itself: the socket the base connected, seen through its current layer (plain, then TLS once secured). Its streams
 * are made once and always read and write the current layer's, so a library keeps reading through them after
 * STARTTLS without being told; {@code connect} does nothing on it (it is connected); closing it, or either stream,
 * closes the raw socket beneath any TLS layer (no {@code close_notify} that a peer which does not read could hold
 * up). Used by one thread at a time, as the connection's command lock makes it; {@link #layer(Socket)} is called by
 * that same thread.
 */
final class LayeredSocket extends DelegatingSocket {

    private final GuardedSocket raw;
    private volatile Socket top;
    private volatile InputStream in;
    private volatile OutputStream out;
    private final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            LayeredSocket.this.close();
        }
    };
    private final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            LayeredSocket.this.close();
        }
    };

    LayeredSocket(GuardedSocket raw, Socket top) throws IOException {
        this.raw = raw;
        layer(top);
    }

    /** From now on reads and writes go through {@code next} (the TLS layer once secured). */
    void layer(Socket next) throws IOException {
        InputStream i = next.getInputStream();
        OutputStream o = next.getOutputStream();
        top = next;
        in = i;
        out = o;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /** Does nothing: the base has connected the socket. A library that connects through a factory calls it. */
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!raw.isConnected() || raw.isClosed()) {
            throw new SocketException("the connection's socket is not connected");
        }
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("the connection's socket is bound and connected already");
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        raw.shutdownInput();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        top.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return top.getSoTimeout();
    }

    @Override
    Socket inner() {
        return raw;
    }

    @Override
    public String toString() {
        return "LayeredSocket[" + top + "]";
    }
}
