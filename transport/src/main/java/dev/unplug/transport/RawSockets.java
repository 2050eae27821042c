package dev.unplug.transport;

import dev.unplug.spi.internal.GuardedSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;

/**
 * The socket factory installed on every Commons Net client: it makes plain sockets ({@link GuardedSocket}, with
 * a reply budget and a goodbye gate) and records the one it made, so that a drop can always close the raw
 * socket, beneath any TLS layer that Commons Net puts over it.
 * {@link #abort(boolean)} takes no lock and does no I/O beyond closing; once aborted, no new socket is made.
 * Thread-safe.
 *
 * <p>A socket is published to {@link #abort(boolean)} only once its file descriptor exists: {@code Socket.close()}
 * on a {@code new Socket()} whose descriptor has not been created yet only marks it closed, and a
 * {@code connect} racing it then creates and connects a descriptor that no close can reach any more (the JDK's
 * {@code Socket} checks {@code isClosed()} before creating it, without a lock). Found by the state machine's
 * property test; creating the descriptor first makes the close real.
 */
final class RawSockets extends SocketFactory {

    private final AtomicReference<GuardedSocket> socket = new AtomicReference<>();
    private final long maxReply;
    private volatile boolean aborted;

    /**
     * A factory whose sockets allow at most {@code maxReply} bytes in answer to one command.
     *
     * @param maxReply the reply budget in bytes
     */
    RawSockets(long maxReply) {
        this.maxReply = maxReply;
    }

    @Override
    public Socket createSocket() throws SocketException {
        if (aborted) {
            throw new SocketException("connection was aborted before its socket was opened");
        }
        GuardedSocket s = new GuardedSocket(maxReply);
        s.getSoTimeout(); // creates the socket's file descriptor now: see RawSockets' class comment
        GuardedSocket old = socket.getAndSet(s);
        if (old != null) {
            old.abort(false);
        }
        if (aborted) {
            // abort() may have run between the check above and the recording: never leave a socket behind
            s.abort(false);
        }
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null, 0);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), localAddress, localPort);
    }

    private Socket connected(InetSocketAddress remote, InetAddress local, int localPort) throws IOException {
        Socket s = createSocket();
        if (local != null) {
            s.bind(new InetSocketAddress(local, localPort));
        }
        s.connect(remote);
        return s;
    }

    /** The plain socket made last, or null. */
    GuardedSocket current() {
        return socket.get();
    }

    /**
     * Closes the raw socket now and refuses new ones: a thread blocked reading or connecting on it (directly
     * or through TLS) fails at once. Idempotent.
     *
     * @param reset whether to reset the connection (SO_LINGER 0) rather than close it plainly
     */
    void abort(boolean reset) {
        aborted = true;
        GuardedSocket s = socket.get();
        if (s != null) {
            s.abort(reset);
        }
    }

    /**
     * Closes the raw socket plainly once its conversation is over (nobody blocked on it: no input shutdown first)
     * and refuses new ones. Idempotent.
     */
    void release() {
        aborted = true;
        GuardedSocket s = socket.get();
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all that was asked
            }
        }
    }
}
