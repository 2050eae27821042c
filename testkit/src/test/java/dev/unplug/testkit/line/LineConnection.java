package dev.unplug.testkit.line;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A connection of the {@link LineProvider}: a plain {@link Socket} under the shared state machine. The option
 * {@code fault} (for example {@code line://127.0.0.1:1234?fault=doubleGoodbye}) breaks it on purpose, to prove
 * that the TCK catches each kind of broken plugin.
 */
public final class LineConnection extends AbstractConnection {

    /** Ways to break the plugin on purpose. */
    enum Fault {
        NONE, IO_IN_OPEN, GOODBYE_ON_DROP, LEAK_SOCKET, DOUBLE_GOODBYE, IGNORE_DEADLINE
    }

    private final Fault fault;
    /** The raw TCP socket: what a drop closes, beneath TLS. */
    private volatile Socket socket;
    private BufferedReader in;
    private OutputStream out;

    LineConnection(URI uri, Options options) {
        super("line", uri, options);
        this.fault = Fault.valueOf(options().get("fault").orElse("none")
                .replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT));
        if (fault == Fault.IO_IN_OPEN) {
            try (Socket probe = new Socket(uri.getHost(), uri.getPort())) {
                probe.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UnplugException(ErrorKind.CONNECT_FAILED, "probe failed", e);
            }
        }
    }

    /**
     * Sends one line and returns the reply line, as a command (state BUSY meanwhile).
     *
     * @throws UnplugException NOT_CONNECTED, CONNECTION_DROPPED, SOCKET_ERROR, ...
     */
    public String send(String line) {
        UnplugException.requireNonNull(line, "line");
        return command(line.split(" ", 2)[0], () -> {
            write(line);
            return read();
        });
    }

    @Override
    protected void openTransport(Duration connectTimeout) throws Exception {
        Socket s = new Socket();
        socket = s;
        s.connect(new InetSocketAddress(target().getHost(), target().getPort()), (int) connectTimeout.toMillis());
        s.setSoTimeout((int) Math.min(connectTimeout.toMillis(), options().readTimeout().toMillis()));
        Socket wire = s;
        if ("lines".equalsIgnoreCase(target().getScheme())) {
            advance(ConnectionState.SECURING);
            wire = LineTls.secure(s, target().getHost(), options());
        }
        in = new BufferedReader(new InputStreamReader(wire.getInputStream(), StandardCharsets.UTF_8));
        out = wire.getOutputStream();
        String greeting = read();
        if (!greeting.startsWith("+HELLO")) {
            throw new UnplugException(ErrorKind.MALFORMED_REPLY, "line server " + uri() + " greeted with '"
                    + greeting.replaceAll("\\p{Cntrl}", "?") + "', not +HELLO", null, -1, null);
        }
        advance(ConnectionState.CONNECTED);
        if (password().isPresent()) {
            write("LOGIN " + userName().orElse("") + " " + password().get());
            String reply = read();
            if (!reply.startsWith("+OK")) {
                throw new UnplugException(ErrorKind.AUTHENTICATION_FAILED, "line server " + uri()
                        + " refused the login of " + userName().orElse(""), null, -1, reply);
            }
            advance(ConnectionState.AUTHENTICATED);
        }
        s.setSoTimeout((int) options().readTimeout().toMillis());
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        socket.setSoTimeout((int) Math.max(1, remaining.toMillis()));
        write("QUIT");
        if (fault == Fault.DOUBLE_GOODBYE) {
            write("QUIT");
        }
        String reply;
        try {
            reply = read();
        } catch (IOException e) {
            if (fault == Fault.IGNORE_DEADLINE) {
                Thread.sleep(3_000);
            }
            throw e;
        }
        if (reply.startsWith("+BYE")) {
            return GoodbyeReply.accepted(reply);
        }
        if (reply.startsWith("-ERR")) {
            return GoodbyeReply.refused(reply, new UnplugException(ErrorKind.FAILED, "line server refused QUIT",
                    null, -1, reply));
        }
        throw new UnplugException(ErrorKind.MALFORMED_REPLY, "line server answered QUIT with garbage");
    }

    @Override
    protected void abortTransport(boolean reset) {
        Socket s = socket;
        if (s == null || fault == Fault.LEAK_SOCKET) {
            return;
        }
        if (fault == Fault.GOODBYE_ON_DROP && !s.isClosed()) {
            try {
                s.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            if (reset && !s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new EOFException("line server " + uri() + " closed the connection");
        }
        return line;
    }
}
