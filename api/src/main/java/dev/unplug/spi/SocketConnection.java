package dev.unplug.spi;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.internal.GuardedSocket;
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
import javax.net.ssl.SSLSocket;
import org.apiguardian.api.API;

/**
 * A JDK-only base for plugins of socket protocols, beside {@link AbstractConnection}: it opens the socket within
 * the connect timeout, layers TLS over it when asked (implicit TLS, or STARTTLS through {@link #startTls(Lines)}),
 * with the TLS options of {@link TlsSettings}, keeps the raw socket so that a drop closes it beneath any TLS layer, sets every read
 * timeout from the read timeout or what is left of a deadline, and gives line and byte I/O ({@link Lines}) bounded
 * by the reply budget (option {@value Options#MAX_REPLY_SIZE}). The plugin writes only its protocol's facts:
 *
 * <ul>
 *   <li>{@link #goodbye(Lines)}: send the goodbye and judge the answer (required);</li>
 *   <li>{@link #greet(Lines)}: check the greeting (optional: a protocol without one does nothing);</li>
 *   <li>{@link #login(Lines, String, String)}: log in when the URI or options carry a user (optional);</li>
 *   <li>{@link #startTls(Lines)}: ask the server to upgrade, when option {@value Options#STARTTLS} is true, and
 *       {@link #secured(Lines)}: what the protocol does again once under TLS (optional).</li>
 * </ul>
 *
 * It is the one socket base of Unplug: the four mail and news plugins stand on it too, with Commons Net speaking
 * their protocols over {@link #librarySocket()} (the socket this base connected and secures), so the connect and
 * read timeouts, the TLS options, the reply budget, the goodbye gate and the drop beneath TLS are the same code for
 * every socket plugin. (A library that insists on connecting its own sockets, as pgjdbc and Paho do, gets the same
 * TLS settings and drop through {@link OwnedSocket.Factory} instead.)
 *
 * Commands after connect run through {@link #exchange(String, Exchange)}. In a host's mass shutdown the goodbye is
 * sent without waiting for its answer (see {@link #sendGoodbye(Duration)}), so a silent server holds no thread.
 * TLS options mean what they mean for every socket plugin ({@link TlsSettings}: option
 * {@value TlsSettings#TRUST_STORE} for a private CA, {@value TlsSettings#VERIFY_HOSTNAME}; default the JDK's trust,
 * host names verified). Thread-safe, as {@link AbstractConnection} is.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public abstract class SocketConnection extends AbstractConnection {

    /** Protocol work on the connection's {@link Lines}. */
    @FunctionalInterface
    @API(status = API.Status.STABLE, since = "0.1")
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
    private final TlsSettings tls;
    private volatile GuardedSocket raw;
    private volatile Lines io;
    private volatile LayeredSocket library;
    private volatile boolean aborted;

    /**
     * Creates an unconnected connection to the URI's host and port. No I/O.
     *
     * @param pluginId the plugin id
     * @param uri the target, already checked by {@link #requireTarget(UnplugProvider, URI, Options)}
     * @param options settings, overriding the URI's query parameters
     * @param defaultPort the port when the URI has none
     * @param implicitTls whether TLS starts with the first byte (a scheme such as {@code pop3s})
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for a bad TLS option (see {@link TlsSettings})
     */
    protected SocketConnection(String pluginId, URI uri, Options options, int defaultPort, boolean implicitTls) {
        super(pluginId, uri, options);
        String h = uri.getHost();
        this.host = h != null && h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        this.port = uri.getPort() >= 0 ? uri.getPort() : defaultPort;
        this.tls = TlsSettings.from(options(), implicitTls);
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
     * Called once the STARTTLS handshake is done, with the I/O now over TLS, before the login: where the protocol
     * starts again under TLS (SMTP's second {@code EHLO}). The default does nothing.
     *
     * @param io the connection's I/O, over TLS
     * @throws Exception any failure; the connect fails with a typed error
     */
    protected void secured(Lines io) throws Exception {
    }

    /**
     * The connection's socket for a protocol library that reads and writes it itself (Unplug's mail plugins give it
     * to Commons Net through a socket factory), instead of {@link Lines}; use one or the other. It is the socket this
     * base connected, within the connect timeout, seen through its current layer: TLS already when implicit, and
     * after STARTTLS its streams (made once, so a library keeps the ones it took) read and write through TLS without
     * the library being told. {@code connect} does nothing on it (it is connected); its read timeout is the one the
     * base sets (the read timeout, what is left of the connect timeout, or of a deadline); closing it, or either of
     * its streams, closes the raw socket beneath any TLS layer. The reply budget, the goodbye gate and the drop work
     * beneath it exactly as for {@link Lines}. Available from {@link #greet(Lines)} on.
     *
     * @return the socket, the same one every call
     * @throws UnplugException {@link ErrorKind#NOT_CONNECTED} before the socket is connected
     */
    protected final Socket librarySocket() {
        LayeredSocket l = library;
        if (l == null) {
            Lines lines = lines();
            try {
                l = new LayeredSocket(raw, lines.socket);
            } catch (IOException e) {
                throw new UnplugException(ErrorKind.NOT_CONNECTED, uri() + " has no open socket: " + e.getMessage());
            }
            library = l;
        }
        return l;
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
        ClosePath.socket();
        GuardedSocket s = new GuardedSocket(options().maxReplySize());
        s.getSoTimeout(); // the descriptor exists before a drop can close the socket (see GuardedSocket)
        raw = s;
        if (aborted) {
            s.abort(false); // a drop ran before the socket was recorded: never connect one nothing would close
        }
        s.connect(new InetSocketAddress(host, port), socketTimeoutMillis(connectTimeout));
        Socket top = s;
        if (tls.implicit()) {
            advance(ConnectionState.SECURING);
            top = tls(s, end);
        }
        Lines lines = speakOver(top);
        bound(top, end);
        greet(lines);
        if (tls.startTls()) {
            advance(ConnectionState.SECURING);
            startTls(lines);
            top = tls(s, end);
            lines = speakOver(top);
            secured(lines);
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

    /** Makes {@code top} (the plain socket, or TLS over it) the layer every read and write goes through. */
    private Lines speakOver(Socket top) throws IOException {
        Lines lines = new Lines(top, options().maxReplySize());
        io = lines;
        LayeredSocket l = library;
        if (l != null) {
            l.layer(top);
        }
        return lines;
    }

    @Override
    protected final GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        Lines lines = lines(remaining);
        return goodbye(lines);
    }

    /** Sends the goodbye through the socket's gate, which never lets it wait for the answer. */
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
        aborted = true;
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
        bound(plain, end); // bounds the handshake
        return tls.layer(plain, host, port);
    }

    /** The connection's TLS settings, read from its options ({@link TlsSettings}: trust store, host name check). */
    protected final TlsSettings tls() {
        return tls;
    }

    private void bound(Socket s, long end) throws IOException {
        long left = Math.max(1_000_000, end - System.nanoTime());
        s.setSoTimeout(socketTimeoutMillis(Duration.ofNanos(Math.min(left, options().readTimeout().toNanos()))));
    }


    /**
     * Line and binary I/O on the connection's socket (TLS when secured), every read bounded by the read timeout the
     * base has set (the read timeout, or what is left of a deadline) and by the reply budget (option
     * {@value Options#MAX_REPLY_SIZE}): past it a read fails with {@link ErrorKind#MALFORMED_REPLY}, whether the bytes
     * arrived (the guarded socket beneath counts them) or a server only claimed them in a length prefix (refused
     * before a byte of it is read or allocated).
     *
     * <p>Lines: {@link #writeLine(String)} sends the text in UTF-8 followed by CR LF; {@link #readLine()} reads up to
     * LF and strips the LF and one CR before it (a bare LF ends a line too). A multi-line command is one
     * {@code writeLine} per line, or one {@link #write(byte[])} of the whole. Binary: {@link #write(byte[])} sends bytes
     * as they are, {@link #readBytes(int)} and {@link #readFully(byte[], int, int)} read exact counts,
     * {@link #readUnsigned(int)} a big-endian integer, and {@link #writeFrame(int, byte[])} /
     * {@link #readFrame(int)} length-prefixed frames (a 1, 2 or 4-byte big-endian length, then that many bytes).
     * Used by one thread at a time (the base's command lock).
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public static final class Lines {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final long maxReply;

        Lines(Socket socket, long maxReply) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
            this.maxReply = maxReply;
        }

        /**
         * Sends a line: the text in UTF-8, then CR LF.
         *
         * @param line the line, without its end
         * @throws IOException when the write fails
         */
        public void writeLine(String line) throws IOException {
            write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Sends bytes as they are, and flushes.
         *
         * @param bytes what to send
         * @throws IOException when the write fails
         */
        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /**
         * Reads a line: up to LF, without the LF and one CR before it, decoded as UTF-8.
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
         * Reads exactly {@code n} bytes. A count over the reply budget is refused before anything is allocated.
         *
         * @param n how many, 0 or more
         * @return the bytes
         * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for a negative count
         * @throws IOException for a count over the reply budget (the command
         *         fails with {@link ErrorKind#MALFORMED_REPLY} and the connection ends), or as {@link #readLine()}
         */
        public byte[] readBytes(int n) throws IOException {
            requireWithinBudget(n);
            byte[] bytes = new byte[n];
            readFully(bytes, 0, n);
            return bytes;
        }

        /**
         * Reads exactly {@code len} bytes into {@code into} from {@code off}.
         *
         * @param into where to put them
         * @param off the first index to fill
         * @param len how many
         * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} or {@link ErrorKind#INVALID_ARGUMENT} for a bad
         *         range
         * @throws IOException {@link EOFException} when the server closed before they all came, or as
         *         {@link #readLine()}
         */
        public void readFully(byte[] into, int off, int len) throws IOException {
            UnplugException.requireNonNull(into, "into");
            if (off < 0 || len < 0 || len > into.length - off) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "range " + off + "+" + len + " is outside a "
                        + into.length + "-byte array");
            }
            int done = 0;
            while (done < len) {
                int r = in.read(into, off + done, len - done);
                if (r < 0) {
                    throw new EOFException("the server closed the connection after " + done + " of " + len
                            + " bytes");
                }
                done += r;
            }
        }

        /**
         * Reads a big-endian unsigned integer of 1 to 4 bytes (a length, a code, an opcode).
         *
         * @param bytes its size, 1 to 4
         * @return its value
         * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for a size outside 1 to 4
         * @throws IOException as {@link #readFully(byte[], int, int)}
         */
        public long readUnsigned(int bytes) throws IOException {
            requirePrefix(bytes);
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the server closed the connection inside a " + bytes + "-byte integer");
                }
                v = (v << 8) | b;
            }
            return v;
        }

        /**
         * Reads a length-prefixed frame: a big-endian unsigned length of {@code prefixBytes} bytes, then that many
         * bytes. A length over the reply budget is refused as soon as it is read, before its bytes are read or
         * allocated, so a hostile server cannot make the client allocate what it only claims.
         *
         * @param prefixBytes the size of the length, 1, 2 or 4
         * @return the frame's bytes, without the length
         * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for a prefix size other than 1, 2 or 4
         * @throws IOException for a claimed length over the budget (the command
         *         fails with {@link ErrorKind#MALFORMED_REPLY} and the connection ends), or as
         *         {@link #readFully(byte[], int, int)}
         */
        public byte[] readFrame(int prefixBytes) throws IOException {
            requireFramePrefix(prefixBytes);
            long claimed = readUnsigned(prefixBytes);
            requireWithinBudget(claimed);
            return readBytes((int) claimed);
        }

        /**
         * Sends a length-prefixed frame: the payload's length, big-endian, in {@code prefixBytes} bytes, then the
         * payload, in one write.
         *
         * @param prefixBytes the size of the length, 1, 2 or 4
         * @param payload the frame's bytes
         * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} when the payload's length does not fit the
         *         prefix, or for a prefix size other than 1, 2 or 4; {@link ErrorKind#NULL_ARGUMENT} for null
         * @throws IOException when the write fails
         */
        public void writeFrame(int prefixBytes, byte[] payload) throws IOException {
            requireFramePrefix(prefixBytes);
            UnplugException.requireNonNull(payload, "payload");
            if (prefixBytes < 4 && payload.length >= 1 << (8 * prefixBytes)) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a " + payload.length + "-byte payload does not"
                        + " fit a " + prefixBytes + "-byte length");
            }
            byte[] frame = new byte[prefixBytes + payload.length];
            for (int i = 0; i < prefixBytes; i++) {
                frame[i] = (byte) (payload.length >>> (8 * (prefixBytes - 1 - i)));
            }
            System.arraycopy(payload, 0, frame, prefixBytes, payload.length);
            write(frame);
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

        /**
         * Shows binary bytes as text for a {@link GoodbyeReply} or an error's server reply: hexadecimal pairs, at
         * most the first 64 bytes, then how many more there were ({@code "81 00 ... (+12 bytes)"}).
         *
         * @param bytes the bytes
         * @return the text
         */
        public static String hex(byte[] bytes) {
            UnplugException.requireNonNull(bytes, "bytes");
            StringBuilder b = new StringBuilder(Math.min(bytes.length, 64) * 3 + 16);
            for (int i = 0; i < Math.min(bytes.length, 64); i++) {
                if (i > 0) {
                    b.append(' ');
                }
                b.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
            }
            if (bytes.length > 64) {
                b.append(" (+").append(bytes.length - 64).append(" bytes)");
            }
            return b.toString();
        }

        private void requireWithinBudget(long n) throws IOException {
            if (n < 0) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a byte count must not be negative, not " + n);
            }
            if (n > maxReply || n > Integer.MAX_VALUE - 8) {
                // an I/O failure, so the connection ends: the stream cannot be trusted past a refused frame
                throw new GuardedSocket.ReplyTooLarge(maxReply, n);
            }
        }

        private static void requirePrefix(int bytes) {
            if (bytes < 1 || bytes > 4) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "an integer is 1 to 4 bytes here, not " + bytes);
            }
        }

        private static void requireFramePrefix(int bytes) {
            if (bytes != 1 && bytes != 2 && bytes != 4) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a frame's length is 1, 2 or 4 bytes, not "
                        + bytes);
            }
        }
    }
}
