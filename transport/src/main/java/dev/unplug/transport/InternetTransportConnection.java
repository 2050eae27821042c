package dev.unplug.transport;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.GoodbyeReply;
import dev.unplug.spi.OwnedSocket;
import dev.unplug.spi.SocketConnection;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;
import org.apache.commons.net.MalformedServerReplyException;
import org.apache.commons.net.SocketClient;
import org.apiguardian.api.API;

/**
 * The Commons Net adapter of the internet transport connections (SMTP, POP3, IMAP, NNTP) over Unplug's one socket
 * base, {@link SocketConnection}: the base connects the socket, layers TLS (implicit, or after STARTTLS), bounds every
 * read and drops the raw socket beneath TLS; Commons Net speaks the protocol over {@link #librarySocket()}. A plugin
 * writes only what its protocol does:
 *
 * <ul>
 *   <li>{@link #createClient()}: make the Commons Net client (its TLS is the base's: the client itself never
 *       negotiates TLS);</li>
 *   <li>{@link #greet(SocketClient)}: check the greeting (already read by Commons Net) and say hello;</li>
 *   <li>{@link #startTls(SocketClient)}: ask for TLS (STARTTLS, STLS) and check the go-ahead, where the protocol has
 *       it; the base then does the handshake, and {@link #secured(SocketClient)} says hello again where needed;</li>
 *   <li>{@link #authenticate(SocketClient, String, String)}: log in;</li>
 *   <li>{@link #goodbye(SocketClient)}: send QUIT/LOGOUT and classify the answer;</li>
 *   <li>{@link #errorKind(ServerReply)}: the protocol's error kind for a negative reply.</li>
 * </ul>
 *
 * <h2>Connect</h2>
 * As {@link SocketConnection}: the connect timeout ({@value dev.unplug.api.Options#DEFAULT_CONNECT} by default,
 * option {@value dev.unplug.api.Options#CONNECT_TIMEOUT}) bounds the connect, the TLS handshake, the greeting and the
 * login; every read after has the read timeout ({@value dev.unplug.api.Options#DEFAULT_READ}, option
 * {@value dev.unplug.api.Options#READ_TIMEOUT}). States: {@code CONNECTING}, then {@code SECURING} (implicit TLS for
 * schemes ending in {@code s}, or option {@value dev.unplug.api.Options#STARTTLS}{@code =true}), {@code CONNECTED}
 * once greeted, {@code AUTHENTICATED} once logged in. Credentials come from the options
 * {@value dev.unplug.api.Options#USER} / {@value dev.unplug.api.Options#PASSWORD} or the URI's user info; without a
 * user name there is no login. TLS options are those of {@link dev.unplug.spi.TlsSettings}, the same for every socket
 * plugin: the JDK's trust by default, host names verified by default.
 *
 * <h2>Disconnect and drop</h2>
 * A graceful disconnect (deadline {@value dev.unplug.api.Options#DEFAULT_DISCONNECT} by default, option
 * {@value dev.unplug.api.Options#DISCONNECT_DEADLINE}) runs {@link #goodbye(SocketClient)} with the read timeout set
 * to what is left of the deadline and reports the server's line in the outcome: {@code CLEAN} for a positive answer,
 * {@code REFUSED} for a negative one, {@code ESCALATED} when it fails on the wire or the deadline passes. A drop (and
 * the deadline) closes the raw socket beneath any TLS layer, with SO_LINGER 0 when option
 * {@value dev.unplug.api.Options#RESET_ON_DROP} is true: it never waits for TLS {@code close_notify}, takes no lock
 * and works while another thread is blocked reading. After the goodbye the client is disconnected quietly, which
 * closes the raw socket too; nothing can block there.
 *
 * <h2>Errors</h2>
 * Besides the base's mapping: a negative reply raises {@link #replyError(String, ServerReply)} (the protocol's kind
 * from {@link #errorKind(ServerReply)}, with the reply code and line); a reply Commons Net cannot parse
 * ({@link MalformedServerReplyException}) is {@link ErrorKind#MALFORMED_REPLY} with the garbage as the server reply;
 * a failed TLS handshake or host name check is {@link ErrorKind#SECURE_CONNECT_FAILED}. Messages carry the redacted
 * {@link #uri()}, never a password.
 *
 * <p>Thread-safe.
 *
 * @param <C> the Commons Net client type
 *
 * @since 0.1
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public abstract class InternetTransportConnection<C extends SocketClient> extends SocketConnection
        implements ClientAccess<C> {

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
        super(pluginId, checked(pluginId, uri, defaultPort), options, defaultPort,
                uri.getScheme().toLowerCase(Locale.ROOT).endsWith("s"));
    }

    private static URI checked(String pluginId, URI uri, int defaultPort) {
        UnplugException.requireNonNull(pluginId, "pluginId");
        UnplugException.requireNonNull(uri, "uri");
        String h = uri.getHost();
        if (h == null || h.isEmpty() || uri.getScheme() == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, pluginId + " needs a URI such as "
                    + pluginId + "://host:port, not " + Redaction.text(uri));
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort;
        if (port < 1 || port > 65535) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "port of " + Redaction.text(uri)
                    + " must be 1 to 65535, not " + port);
        }
        return uri;
    }

    // ------------------------------------------------------------------ what a plugin writes

    /**
     * Makes the Commons Net client, unconnected and without TLS of its own (for example
     * {@code new POP3SClient(false)}): the base connects it over its socket, already secured when TLS is implicit.
     * Called once, while connecting.
     *
     * @return a new, unconnected client
     * @throws Exception any failure; the connect fails with a typed error
     */
    protected abstract C createClient() throws Exception;

    /**
     * Checks the server's greeting, which Commons Net has read while connecting, and says hello where the
     * protocol does (SMTP {@code EHLO}). Throw {@link #replyError(String, ServerReply)} for a negative greeting.
     *
     * @param client the connected client
     * @throws Exception any failure; the connect fails with a typed error
     */
    protected abstract void greet(C client) throws Exception;

    /**
     * Asks the server for TLS (STARTTLS, STLS) and checks its go-ahead, when option
     * {@value dev.unplug.api.Options#STARTTLS} is true; called after {@link #greet(SocketClient)}, in state
     * {@code SECURING}. The base then does the handshake beneath the client. The default refuses with
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
     * Called once the STARTTLS handshake is done, before the login: where the protocol starts again under TLS
     * (SMTP's second {@code EHLO}). The default does nothing.
     *
     * @param client the client, now speaking through TLS
     * @throws Exception any failure; the connect fails with a typed error
     */
    protected void secured(C client) throws Exception {
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

    // ------------------------------------------------------------------ the hooks of SocketConnection

    /** Connects the Commons Net client over the base's socket (Commons Net reads the greeting), then greets. */
    @Override
    protected final void greet(Lines io) throws Exception {
        C c = createClient();
        if (c == null) {
            throw new UnplugException(ErrorKind.UNEXPECTED, pluginId() + " plugin made no client");
        }
        Socket socket = librarySocket();
        // Commons Net asks its factory for an unconnected socket and connects it: it gets the base's, on which
        // connect does nothing
        c.setSocketFactory(new OwnedSocket.Factory() {
            @Override
            public Socket createSocket() {
                return socket;
            }
        });
        // Commons Net sets its default timeout on the socket while connecting: keep the base's bound
        c.setDefaultTimeout(socket.getSoTimeout());
        client = c;
        c.connect(socket.getInetAddress(), socket.getPort());
        greet(c);
    }

    @Override
    protected final void startTls(Lines io) throws Exception {
        startTls(connectedClient());
    }

    @Override
    protected final void secured(Lines io) throws Exception {
        secured(connectedClient());
    }

    @Override
    protected final void login(Lines io, String user, String password) throws Exception {
        authenticate(connectedClient(), user, password);
    }

    @Override
    protected final GoodbyeReply goodbye(Lines io) throws Exception {
        C c = connectedClient();
        try {
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

    /** Disconnects the client quietly: its streams and socket close, which closes the raw socket beneath TLS. */
    @Override
    protected final void releaseTransport() {
        C c = client;
        if (c != null) {
            try {
                c.disconnect();
            } catch (Exception ignored) {
                // every stream is closed quietly; the base aborts the raw socket after this anyway
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
