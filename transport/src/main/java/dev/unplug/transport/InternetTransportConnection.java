package dev.unplug.transport;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import dev.unplug.spi.TlsSettings;
import dev.unplug.spi.internal.GuardedSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.net.MalformedServerReplyException;
import org.apache.commons.net.SocketClient;
import org.apiguardian.api.API;

/**
 * The one shared base of the internet transport connections (SMTP, POP3, IMAP, NNTP) on Apache Commons Net.
 * It implements every hook of {@link AbstractConnection}; a plugin writes only what its protocol does:
 *
 * <ul>
 *   <li>{@link #createClient(TlsSettings)}: make the Commons Net client, configured for TLS;</li>
 *   <li>{@link #greet(SocketClient)}: check the greeting (already read by Commons Net) and say hello;</li>
 *   <li>{@link #startTls(SocketClient)}: upgrade with STARTTLS/STLS, where the protocol has it;</li>
 *   <li>{@link #authenticate(SocketClient, String, String)}: log in;</li>
 *   <li>{@link #goodbye(SocketClient)}: send QUIT/LOGOUT and classify the answer;</li>
 *   <li>{@link #errorKind(ServerReply)}: the protocol's error kind for a negative reply.</li>
 * </ul>
 *
 * <h2>Connect</h2>
 * Opens the socket with the connect timeout ({@value dev.unplug.api.Options#DEFAULT_CONNECT} by default, option
 * {@value dev.unplug.api.Options#CONNECT_TIMEOUT}); every read has the read timeout
 * ({@value dev.unplug.api.Options#DEFAULT_READ}, option {@value dev.unplug.api.Options#READ_TIMEOUT}), and while
 * connecting no read waits past the end of the connect timeout. States: {@code CONNECTING}, then
 * {@code SECURING} (implicit TLS for schemes ending in {@code s}, or option {@value dev.unplug.api.Options#STARTTLS}
 * {@code =true}), {@code CONNECTED} once greeted, {@code AUTHENTICATED} once logged in. Credentials come from the
 * options {@value dev.unplug.api.Options#USER} / {@value dev.unplug.api.Options#PASSWORD} or the URI's user info;
 * without a user name there is no login. TLS options are described in {@link TlsSettings}: the JDK's trust by
 * default, host names verified by default.
 *
 * <h2>Disconnect and drop</h2>
 * A graceful disconnect (deadline {@value dev.unplug.api.Options#DEFAULT_DISCONNECT} by default, option
 * {@value dev.unplug.api.Options#DISCONNECT_DEADLINE}) sets the read timeout to what is left of the deadline, runs
 * {@link #goodbye(SocketClient)} and reports the server's line in the outcome: {@code CLEAN} for a positive
 * answer, {@code REFUSED} for a negative one, {@code ESCALATED} when it fails on the wire or the deadline passes.
 * The base installs a socket factory on the client that records the plain socket: a drop (and the deadline)
 * closes that raw socket beneath any TLS layer, with SO_LINGER 0 when option
 * {@value dev.unplug.api.Options#RESET_ON_DROP} is true, so it never waits for TLS {@code close_notify}, takes no
 * lock and works while another thread is blocked reading. After the goodbye the raw socket is closed first, then
 * the client is disconnected quietly so that every stream is released; nothing can block there.
 *
 * <h2>Errors</h2>
 * Besides {@link AbstractConnection}'s mapping: a negative reply raises {@link #replyError(String, ServerReply)}
 * (the protocol's kind from {@link #errorKind(ServerReply)}, with the reply code and line); a reply Commons Net
 * cannot parse ({@link MalformedServerReplyException}) is {@link ErrorKind#MALFORMED_REPLY} with the garbage
 * as the server reply; a failed TLS handshake or host name check is {@link ErrorKind#SECURE_CONNECT_FAILED}.
 * Messages carry the redacted {@link #uri()}, never a password.
 *
 * <p>Thread-safe.
 *
 * @param <C> the Commons Net client type
 *
 * @since 0.1
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public abstract class InternetTransportConnection<C extends SocketClient> extends AbstractConnection
        implements ClientAccess<C> {

    private final TlsSettings tls;
    private final String host;
    private final int port;
    private final RawSockets rawSockets;
    private volatile C client;

    /**
     * Creates an unconnected connection. No I/O.
     *
     * @param pluginId the plugin id, such as {@code "smtp"}
     * @param uri the target; a scheme ending in {@code s} means implicit TLS; its port, else {@code defaultPort}
     * @param options settings, overriding the URI's query parameters
     * @param defaultPort the port used when the URI has none
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls, {@link ErrorKind#INVALID_ARGUMENT} for a
     *         URI without host or scheme, a port out of range, or a bad option value
     */
    protected InternetTransportConnection(String pluginId, URI uri, Options options, int defaultPort) {
        super(pluginId, uri, options);
        String h = uri.getHost();
        String scheme = uri.getScheme();
        if (h == null || h.isEmpty() || scheme == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, pluginId + " needs a URI such as "
                    + pluginId + "://host:port, not " + uri());
        }
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        this.port = uri.getPort() >= 0 ? uri.getPort() : defaultPort;
        if (port < 1 || port > 65535) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "port of " + uri() + " must be 1 to 65535, not "
                    + port);
        }
        this.tls = TlsSettings.from(options(), scheme.toLowerCase(Locale.ROOT).endsWith("s"));
        this.rawSockets = new RawSockets(options().maxReplySize());
    }

    // ------------------------------------------------------------------ what a plugin writes

    /**
     * Makes the Commons Net client, configured for TLS from {@code tls} (for example
     * {@code new SMTPSClient(tls.implicit(), tls.context())} and
     * {@code setEndpointCheckingEnabled(tls.verifyHostname())}). The base then installs its socket factory and
     * timeouts, and connects it. Called once, while connecting.
     *
     * @param tls the TLS settings
     * @return a new, unconnected client
     * @throws Exception any failure; the connect fails with a typed error
     */
    protected abstract C createClient(TlsSettings tls) throws Exception;

    /**
     * Checks the server's greeting, which Commons Net has read while connecting, and says hello where the
     * protocol does (SMTP {@code EHLO}). Throw {@link #replyError(String, ServerReply)} for a negative greeting.
     *
     * @param client the connected client
     * @throws Exception any failure; the connect fails with a typed error
     */
    protected abstract void greet(C client) throws Exception;

    /**
     * Upgrades the session with STARTTLS (or STLS) when option {@value dev.unplug.api.Options#STARTTLS} is true;
     * called after {@link #greet(SocketClient)}, in state {@code SECURING}. The default refuses with
     * {@link ErrorKind#NOT_SUPPORTED}.
     *
     * @param client the connected client
     * @throws Exception any failure; the connect fails with a typed error (a refused STARTTLS should be
     *         {@link ErrorKind#SECURE_CONNECT_FAILED})
     */
    protected void startTls(C client) throws Exception {
        throw new UnplugException(ErrorKind.NOT_SUPPORTED, pluginId() + " has no STARTTLS; remove option "
                + Options.STARTTLS + " from " + uri());
    }

    /**
     * Logs in; called only when a user name is given. Throw {@link ErrorKind#AUTHENTICATION_FAILED} (with the
     * server's reply, through {@link #replyError(ErrorKind, String, ServerReply)}) when the server refuses.
     *
     * @param client the connected client
     * @param user the user name
     * @param password the password, empty when none is given; never put it in a message
     * @throws Exception any failure; the connect fails with a typed error
     */
    protected abstract void authenticate(C client, String user, String password) throws Exception;

    /**
     * Sends the protocol's goodbye and reads its answer. The base has set the read timeout to what is left of
     * the deadline and turns the answer into the outcome; just send, read and classify.
     *
     * @param client the connected client
     * @return the server's answer, positive when the protocol counts it as accepted
     * @throws Exception when the goodbye fails on the wire
     */
    protected abstract ServerReply goodbye(C client) throws Exception;

    /**
     * The protocol's error kind for a negative reply, such as {@link ErrorKind#SMTP_ERROR}.
     *
     * @param reply the negative reply
     * @return the kind, never null
     */
    protected abstract ErrorKind errorKind(ServerReply reply);

    // ------------------------------------------------------------------ for plugins and applications

    /** {@inheritDoc} */
    @Override
    public final <T> T withClient(String what, ClientWork<C, T> work) {
        UnplugException.requireNonNull(work, "work");
        return command(what, () -> work.run(connectedClient()));
    }

    /**
     * The client, for plugin code running inside {@link #command(String, Command)}.
     *
     * @return the client
     * @throws UnplugException {@link ErrorKind#NOT_CONNECTED} before connect
     */
    protected final C connectedClient() {
        C c = client;
        if (c == null) {
            throw new UnplugException(ErrorKind.NOT_CONNECTED, uri() + " has no client: not connected");
        }
        return c;
    }

    /** The host to connect to (without IPv6 brackets). */
    protected final String host() {
        return host;
    }

    /** The port to connect to: the URI's, else the default port of the scheme. */
    protected final int port() {
        return port;
    }

    /** The TLS settings of this connection. */
    protected final TlsSettings tls() {
        return tls;
    }

    /**
     * The error for a negative reply, of the protocol's kind ({@link #errorKind(ServerReply)}).
     *
     * @param what what was being done, such as {@code "MAIL FROM"}; never a password
     * @param reply the server's reply
     * @return the error, carrying the reply code and line
     */
    protected final UnplugException replyError(String what, ServerReply reply) {
        UnplugException.requireNonNull(reply, "reply");
        return replyError(errorKind(reply), what, reply);
    }

    /**
     * The error for a negative reply, of the given kind (such as {@link ErrorKind#AUTHENTICATION_FAILED}).
     *
     * @param kind the kind
     * @param what what was being done; never a password
     * @param reply the server's reply
     * @return the error, carrying the reply code and line
     */
    protected final UnplugException replyError(ErrorKind kind, String what, ServerReply reply) {
        UnplugException.requireNonNull(reply, "reply");
        String line = reply.line().isEmpty() ? "(no text)" : reply.line();
        return new UnplugException(kind, pluginId() + " " + what + " on " + uri() + " was refused: " + line, null,
                reply.code(), reply.line());
    }

    /**
     * Returns a positive reply, or throws the protocol's error for a negative one.
     *
     * @param what what was being done; never a password
     * @param reply the server's reply
     * @return the reply, when positive
     * @throws UnplugException {@link #replyError(String, ServerReply)} when negative
     */
    protected final ServerReply require(String what, ServerReply reply) {
        UnplugException.requireNonNull(reply, "reply");
        if (!reply.positive()) {
            throw replyError(what, reply);
        }
        return reply;
    }

    // ------------------------------------------------------------------ the hooks of AbstractConnection

    @Override
    protected final void openTransport(Duration connectTimeout) throws Exception {
        long end = System.nanoTime() + connectTimeout.toNanos();
        C c = createClient(tls);
        if (c == null) {
            throw new UnplugException(ErrorKind.UNEXPECTED, pluginId() + " plugin made no client");
        }
        c.setSocketFactory(rawSockets);
        c.setConnectTimeout(socketTimeoutMillis(connectTimeout));
        c.setDefaultTimeout(socketTimeoutMillis(min(options().readTimeout(), connectTimeout)));
        client = c;
        if (tls.implicit()) {
            advance(ConnectionState.SECURING);
        }
        c.connect(host, port);
        bound(c, end);
        greet(c);
        if (tls.startTls()) {
            advance(ConnectionState.SECURING);
            bound(c, end);
            startTls(c);
        }
        advance(ConnectionState.CONNECTED);
        Optional<String> user = userName();
        if (user.isPresent()) {
            bound(c, end);
            authenticate(c, user.get(), password().orElse(""));
            advance(ConnectionState.AUTHENTICATED);
        }
        c.setSoTimeout(socketTimeoutMillis(options().readTimeout()));
    }

    @Override
    protected final GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        return runGoodbye(remaining);
    }

    /**
     * Sends the goodbye through {@link #goodbye(SocketClient)} with the socket's goodbye gate in probe mode: when
     * the answer is not there yet, the read fails at once and nothing is consumed, so the goodbye is on the wire
     * and no thread waits. {@link #readGoodbye(Duration)} later runs {@code goodbye} again with writes swallowed,
     * which reads the answer exactly as the first run would have.
     */
    @Override
    protected final GoodbyeReply sendGoodbye(Duration remaining) throws Exception {
        GuardedSocket socket = rawSockets.current();
        return socket == null ? runGoodbye(remaining) : socket.untilAnswerPending(() -> runGoodbye(remaining));
    }

    @Override
    protected final boolean goodbyeAnswerReady() {
        GuardedSocket socket = rawSockets.current();
        return socket == null || socket.readable();
    }

    @Override
    protected final GoodbyeReply readGoodbye(Duration remaining) throws Exception {
        GuardedSocket socket = rawSockets.current();
        return socket == null ? runGoodbye(remaining) : socket.replaying(() -> runGoodbye(remaining));
    }

    private GoodbyeReply runGoodbye(Duration remaining) throws Exception {
        C c = connectedClient();
        try {
            c.setSoTimeout(socketTimeoutMillis(remaining));
            ServerReply reply = goodbye(c);
            if (reply == null) {
                throw new UnplugException(ErrorKind.UNEXPECTED, pluginId() + " plugin classified no goodbye reply");
            }
            return reply.positive() ? GoodbyeReply.accepted(reply.line())
                    : GoodbyeReply.refused(reply.line(), replyError("goodbye", reply));
        } catch (UnplugException e) {
            throw e;
        } catch (MalformedServerReplyException e) {
            // typed here so that the garbage reaches the outcome as its last reply
            throw translate(e, "goodbye");
        }
    }

    @Override
    protected final void abortTransport(boolean reset) {
        rawSockets.abort(reset);
    }

    @Override
    protected final void releaseTransport() {
        // the raw socket first: closing a TLS socket whose peer does not read could otherwise block on close_notify
        rawSockets.release();
        C c = client;
        if (c != null) {
            try {
                c.disconnect();
            } catch (Exception ignored) {
                // every stream is closed quietly; the raw socket is already closed
            }
        }
    }

    @Override
    protected UnplugException translate(Exception failure, String during) {
        if (failure instanceof MalformedServerReplyException m) {
            String garbage = garbage(m.getMessage());
            return new UnplugException(ErrorKind.MALFORMED_REPLY, pluginId() + " " + during + " on " + uri()
                    + " got a reply that is not " + pluginId().toUpperCase(Locale.ROOT) + ": " + garbage, m, -1,
                    garbage);
        }
        return super.translate(failure, during);
    }

    // ------------------------------------------------------------------ internals

    /** Bounds the next reads by the read timeout and by what is left of the connect timeout. */
    private void bound(C c, long end) throws java.net.SocketException {
        long left = end - System.nanoTime();
        c.setSoTimeout(socketTimeoutMillis(min(options().readTimeout(),
                Duration.ofNanos(Math.max(left, 1_000_000)))));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }


    /** The server's text inside a Commons Net parse error message. */
    private static String garbage(String message) {
        if (message == null) {
            return "";
        }
        String[] markers = {"Server Reply: ", "Server reply: ", "Truncated server reply: ", "response from server."};
        for (String marker : markers) {
            int at = message.indexOf(marker);
            if (at >= 0) {
                return message.substring(at + marker.length()).strip();
            }
        }
        return message.strip();
    }
}
