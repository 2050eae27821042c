package dev.unplug.spi;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A JDK-only base for plugins of socket protocols, beside {@link AbstractConnection}: it opens the socket within
 * the connect timeout, layers TLS over it when asked (implicit TLS, or STARTTLS through {@link #startTls(Lines)}),
 * with host names verified, keeps the raw socket so that a drop closes it beneath any TLS layer, sets every read
 * timeout from the read timeout or what is left of a deadline, and gives line and byte I/O ({@link Lines}) bounded
 * by the reply budget (option {@value Options#MAX_REPLY_SIZE}). The plugin writes only its protocol's facts:
 *
 * <ul>
 *   <li>{@link #goodbye(Lines)}: send the goodbye and judge the answer (required);</li>
 *   <li>{@link #greet(Lines)}: check the greeting (optional: a protocol without one does nothing);</li>
 *   <li>{@link #login(Lines, String, String)}: log in when the URI or options carry a user (optional);</li>
 *   <li>{@link #startTls(Lines)}: ask the server to upgrade, when option {@value Options#STARTTLS} is true.</li>
 * </ul>
 *
 * Commands after connect run through {@link #exchange(String, Exchange)}. In a host's mass shutdown the goodbye is
 * sent without waiting for its answer (see {@link #sendGoodbye(Duration)}), so a silent server holds no thread.
 * TLS uses the JDK's default trust (set
 * {@code javax.net.ssl.trustStore} for a private CA). Thread-safe, as {@link AbstractConnection} is.
 *
 * @since 0.1
 */
public abstract class SocketConnection extends AbstractConnection {

    /** Protocol work on the connection's {@link Lines}. */
    @FunctionalInterface
    public interface Exchange<T> {
        /**
         * Runs the work.
         *
         * @param io the connection's I/O
         * @return its result
         * @throws Exception any failure; the base turns it into a typed error
         */
        T run(Lines io) throws Exception;
    }

    private final String host;
    private final int port;
    private final boolean implicitTls;
    private volatile GuardedSocket raw;
    private volatile Lines io;

    /**
     * Creates an unconnected connection to the URI's host and port. No I/O.
     *
     * @param pluginId the plugin id
     * @param uri the target, already checked by {@link #requireTarget(UnplugProvider, URI, Options)}
     * @param options settings, overriding the URI's query parameters
     * @param defaultPort the port when the URI has none
     * @param implicitTls whether TLS starts with the first byte (a scheme such as {@code pop3s})
     */
    protected SocketConnection(String pluginId, URI uri, Options options, int defaultPort, boolean implicitTls) {
        super(pluginId, uri, options);
        String h = uri.getHost();
        this.host = h != null && h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        this.port = uri.getPort() >= 0 ? uri.getPort() : defaultPort;
        this.implicitTls = implicitTls;
    }

    /**
     * Checks what a provider's {@code open} receives: not null, a scheme the provider serves, a host, a valid port.
     *
     * @param provider the provider
     * @param uri the URI given to {@code open}
     * @param options the options given to {@code open}
     * @return the URI
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} or {@link ErrorKind#INVALID_ARGUMENT}, whose message
     *         shows the URI redacted
     */
    public static URI requireTarget(UnplugProvider provider, URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme == null || !provider.schemes().contains(scheme) || uri.getHost() == null
                || uri.getPort() > 65535) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the " + provider.id() + " plugin needs "
                    + String.join(" or ", provider.schemes()) + "://host[:port], not " + Redaction.text(uri));
        }
        return uri;
    }

    // ------------------------------------------------------------------ what a plugin writes

    /**
     * Checks the server's greeting. The default reads nothing: a protocol whose server speaks only when spoken to.
     *
     * @param io the connection's I/O
     * @throws Exception a refused or malformed greeting (throw {@link ErrorKind#MALFORMED_REPLY} or the
     *         protocol's error)
     */
    protected void greet(Lines io) throws Exception {
    }

    /**
     * Logs in; called only when a user name is given (option {@value Options#USER} or the URI's user info).
     *
     * @param io the connection's I/O
     * @param user the user name
     * @param password the password, empty when none; never put it in a message
     * @throws Exception a refusal ({@link ErrorKind#AUTHENTICATION_FAILED}) or another failure
     */
    protected void login(Lines io, String user, String password) throws Exception {
    }

    /**
     * Asks the server to switch to TLS (STARTTLS, STLS) and reads its go-ahead; the base then does the handshake.
     * Called after {@link #greet(Lines)} when option {@value Options#STARTTLS} is true. The default refuses with
     * {@link ErrorKind#NOT_SUPPORTED}.
     *
     * @param io the connection's I/O
     * @throws Exception a refusal ({@link ErrorKind#SECURE_CONNECT_FAILED}) or another failure
     */
    protected void startTls(Lines io) throws Exception {
        throw new UnplugException(ErrorKind.NOT_SUPPORTED, pluginId() + " has no STARTTLS");
    }

    /**
     * Sends the goodbye and judges the answer, within the read timeout the base has set from the deadline.
     *
     * @param io the connection's I/O
     * @return the answer, accepted or refused ({@link GoodbyeReply#judged(boolean, String)})
     * @throws Exception when it fails on the wire
     */
    protected abstract GoodbyeReply goodbye(Lines io) throws Exception;

    /**
     * Runs a command after connect: one at a time, state {@link ConnectionState#BUSY}, failures typed (see
     * {@link #command(String, Command)}).
     *
     * @param what the command, for messages (never a password)
     * @param work the work
     * @return what the work returns
     */
    protected final <T> T exchange(String what, Exchange<T> work) {
        UnplugException.requireNonNull(work, "work");
        return command(what, () -> work.run(lines()));
    }

    // ------------------------------------------------------------------ the hooks of AbstractConnection

    @Override
    protected final void openTransport(Duration connectTimeout) throws Exception {
        long end = System.nanoTime() + connectTimeout.toNanos();
        GuardedSocket s = new GuardedSocket(options().maxReplySize());
        s.getSoTimeout(); // the descriptor exists before a drop can close the socket (see GuardedSocket)
        raw = s;
        s.connect(new InetSocketAddress(host, port), socketTimeoutMillis(connectTimeout));
        Socket top = s;
        if (implicitTls) {
            advance(ConnectionState.SECURING);
            top = tls(s, end);
        }
        Lines lines = new Lines(top);
        io = lines;
        bound(top, end);
        greet(lines);
        if (options().flag(Options.STARTTLS, false)) {
            advance(ConnectionState.SECURING);
            startTls(lines);
            top = tls(s, end);
            lines = new Lines(top);
            io = lines;
        }
        advance(ConnectionState.CONNECTED);
        Optional<String> user = userName();
        if (user.isPresent()) {
            bound(top, end);
            login(lines, user.get(), password().orElse(""));
            advance(ConnectionState.AUTHENTICATED);
        }
        top.setSoTimeout(socketTimeoutMillis(options().readTimeout()));
    }

    @Override
    protected final GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        Lines lines = lines(remaining);
        return goodbye(lines);
    }

    /** Sends the goodbye through the socket's gate: see {@link GuardedSocket#untilAnswerPending}. */
    @Override
    protected final GoodbyeReply sendGoodbye(Duration remaining) throws Exception {
        Lines lines = lines(remaining);
        return raw.untilAnswerPending(() -> goodbye(lines));
    }

    /** The connection's I/O, its reads bounded by what is left of the deadline. */
    private Lines lines(Duration remaining) throws IOException {
        Lines lines = lines();
        lines.socket.setSoTimeout(socketTimeoutMillis(remaining));
        return lines;
    }

    @Override
    protected final boolean goodbyeAnswerReady() {
        Lines lines = io;
        GuardedSocket s = raw;
        try {
            return lines == null || s == null || lines.in.available() > 0 || s.readable();
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    protected final GoodbyeReply readGoodbye(Duration remaining) throws Exception {
        Lines lines = lines(remaining);
        return raw.replaying(() -> goodbye(lines));
    }

    @Override
    protected final void abortTransport(boolean reset) {
        GuardedSocket s = raw;
        if (s != null) {
            s.abort(reset);
        }
    }

    // ------------------------------------------------------------------ internals

    private Lines lines() {
        Lines l = io;
        if (l == null) {
            throw new UnplugException(ErrorKind.NOT_CONNECTED, uri() + " is not connected");
        }
        return l;
    }

    private SSLSocket tls(Socket plain, long end) throws Exception {
        SSLSocket t = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters p = t.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        t.setSSLParameters(p);
        bound(t, end);
        t.startHandshake();
        return t;
    }

    private void bound(Socket s, long end) throws IOException {
        long left = Math.max(1_000_000, end - System.nanoTime());
        s.setSoTimeout(socketTimeoutMillis(Duration.ofNanos(Math.min(left, options().readTimeout().toNanos()))));
    }


    /**
     * Line and byte I/O on the connection's socket (TLS when secured), in UTF-8 with CRLF line ends. A reply of
     * more than the reply budget (bytes between two writes) fails with {@link ErrorKind#MALFORMED_REPLY} (the
     * {@link GuardedSocket} beneath counts). Used by one thread at a time (the base's command lock).
     */
    public static final class Lines {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Lines(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /**
         * Sends a line, adding CRLF.
         *
         * @param line the line, without its end
         * @throws IOException when the write fails
         */
        public void writeLine(String line) throws IOException {
            write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Sends bytes as they are.
         *
         * @param bytes what to send
         * @throws IOException when the write fails
         */
        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /**
         * Reads a line, without its CR LF.
         *
         * @return the line
         * @throws IOException {@link EOFException} when the server closed, a time-out, or a reply over the budget
         */
        public String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException("the server closed the connection");
                }
                line.write(b);
            }
            byte[] bytes = line.toByteArray();
            int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            return new String(bytes, 0, len, StandardCharsets.UTF_8);
        }

        /**
         * Reads exactly {@code n} bytes.
         *
         * @param n how many
         * @return the bytes
         * @throws IOException as {@link #readLine()}
         */
        public byte[] readBytes(int n) throws IOException {
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the server closed the connection");
                }
                bytes[i] = (byte) b;
            }
            return bytes;
        }

        /**
         * Reads a line and checks that it starts as expected.
         *
         * @param prefix what the line must start with
         * @param what what the line is, for the message, such as {@code "greeting"}
         * @return the line
         * @throws UnplugException {@link ErrorKind#MALFORMED_REPLY} carrying the line when it does not
         * @throws IOException as {@link #readLine()}
         */
        public String expect(String prefix, String what) throws IOException {
            String line = readLine();
            if (!line.startsWith(prefix)) {
                throw new UnplugException(ErrorKind.MALFORMED_REPLY, what + " is not '" + prefix + "...'", null, -1,
                        line);
            }
            return line;
        }
    }
}
