package dev.unplug.bench;

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

/** The bench plugin's connection: a line protocol over one socket. Thread-safe through its base class. */
final class BenchConnection extends AbstractConnection {

    private volatile Socket socket;
    private BufferedReader in;
    private OutputStream out;

    BenchConnection(URI uri, Options options) {
        super("bench-tcp", uri, options);
    }

    @Override
    protected void openTransport(Duration timeout) throws IOException {
        Socket s = new Socket();
        socket = s;
        s.connect(new InetSocketAddress(target().getHost(), target().getPort()), millis(timeout));
        s.setSoTimeout(millis(options().readTimeout()));
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        out = s.getOutputStream();
        if (in.readLine() == null) {
            throw new EOFException("closed before the greeting");
        }
        advance(ConnectionState.CONNECTED);
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws IOException {
        socket.setSoTimeout(millis(remaining));
        out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = in.readLine();
        if (reply == null) {
            throw new EOFException("closed without answering QUIT");
        }
        return reply.equals("BYE") ? GoodbyeReply.accepted(reply)
                : GoodbyeReply.refused(reply, new UnplugException(ErrorKind.FAILED, "QUIT answered " + reply));
    }

    @Override
    protected void abortTransport(boolean reset) {
        Socket s = socket;
        if (s == null) {
            return;
        }
        try {
            if (reset) {
                s.setSoLinger(true, 0);
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
