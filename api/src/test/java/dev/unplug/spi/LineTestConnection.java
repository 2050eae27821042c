package dev.unplug.spi;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
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

/** The smallest real plugin connection over {@link LineServer}: what a plugin author writes. */
final class LineTestConnection extends AbstractConnection {

    private volatile Socket socket;
    volatile boolean resetRequested;
    /** When set, a graceful disconnect is refused with this error (as a capture device refuses while capturing). */
    volatile UnplugException refuseDisconnect;
    private BufferedReader in;
    private OutputStream out;

    LineTestConnection(int port, Options options) {
        super("linetest", URI.create("line://tester:hunter2@127.0.0.1:" + port), options);
    }

    /** Sends a line and reads the reply, as one command. */
    String send(String line) {
        return command(line, () -> {
            write(line);
            return read();
        });
    }

    /** Sends a line in two halves with a pause between, as one command: bytes that must never be split. */
    String sendInHalves(String line, long pauseMillis) {
        return command(line, () -> {
            int half = line.length() / 2;
            out.write(line.substring(0, half).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(pauseMillis);
            write(line.substring(half));
            return read();
        });
    }

    @Override
    protected void openTransport(Duration connectTimeout) throws Exception {
        Socket s = new Socket();
        s.getSoTimeout(); // the descriptor exists before a drop can close the socket (see GuardedSocket)
        socket = s;
        s.connect(new InetSocketAddress("127.0.0.1", target().getPort()), (int) connectTimeout.toMillis());
        s.setSoTimeout((int) options().readTimeout().toMillis());
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        out = s.getOutputStream();
        if (!read().equals("+HI")) {
            throw new UnplugException(ErrorKind.MALFORMED_REPLY, "bad greeting");
        }
        advance(ConnectionState.CONNECTED);
    }

    @Override
    protected void checkDisconnect() {
        UnplugException refusal = refuseDisconnect;
        if (refusal != null) {
            throw refusal;
        }
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        socket.setSoTimeout((int) Math.max(1, remaining.toMillis()));
        write("QUIT");
        String reply = read();
        return reply.startsWith("+") ? GoodbyeReply.accepted(reply)
                : GoodbyeReply.refused(reply, new UnplugException(ErrorKind.FAILED, "QUIT refused", null, -1, reply));
    }

    @Override
    protected void abortTransport(boolean reset) {
        Socket s = socket;
        if (s != null) {
            try {
                if (reset) {
                    resetRequested = true;
                    s.setSoLinger(true, 0);
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    boolean socketClosed() {
        return socket != null && socket.isClosed();
    }

    /** Whether a socket was opened and is still open. */
    boolean socketOpen() {
        Socket s = socket;
        return s != null && !s.isClosed();
    }

    private void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new EOFException("server closed");
        }
        return line;
    }
}
