package dev.unplug.websocket;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.WebSocketMessage;
import dev.unplug.api.message.WebSocketSession;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One WebSocket on the JDK's {@link WebSocket}. A graceful disconnect sends a close frame (status and reason from
 * the options, 1000 by default) and waits, within the deadline, for the server's close frame, the answer RFC 6455
 * section 7 gives a close: CLEAN when the server answers 1000, REFUSED (with its status as the reply code and its
 * reason) when it answers another status, ESCALATED when none arrives by the deadline (then aborted). A drop aborts
 * the WebSocket at once from any thread, sending nothing. A server's close that comes first ends the session: a
 * waiting receive raises it; the next disconnect answers it (CLEAN when it was 1000). The application sends and
 * receives through {@code unwrap(WebSocketSession.class)}. Thread-safe.
 */
final class WebSocketConnection extends AbstractConnection implements WsSession.Owner {

    private final WsSettings settings;
    private final WsSession session = new WsSession(this);
    private final CompletableFuture<Close> serverClose = new CompletableFuture<>();
    private volatile WebSocket socket;
    private volatile CompletableFuture<WebSocket> opening;
    private volatile boolean goodbyeSent;

    /** The server's close frame. */
    record Close(int status, String reason) {
        @Override
        public String toString() {
            return status + (reason.isEmpty() ? "" : " '" + reason + "'");
        }
    }

    /** A message beyond maxReplySize: the connection ends rather than the memory fills. */
    static final class Oversized extends IOException {
        private static final long serialVersionUID = 1L;

        Oversized(String message) {
            super(message);
        }
    }

    WebSocketConnection(URI uri, Options options, WsSettings settings) {
        super("websocket", uri, options);
        this.settings = settings;
    }

    // ------------------------------------------------------------------ for the session

    @Override
    public <T> T run(String what, Command<T> work) {
        return command(what, work);
    }

    @Override
    public Duration readTimeout() {
        return options().readTimeout();
    }

    @Override
    public WebSocket socket() {
        return socket;
    }

    // ------------------------------------------------------------------ the connection's hooks

    @Override
    protected void openTransport(Duration connectTimeout) throws Exception {
        boolean secure = "wss".equals(settings.target().getScheme());
        WebSocket.Builder b = Clients.forSettings(settings.tls(), secure).newWebSocketBuilder()
                .connectTimeout(connectTimeout);
        if (userName().isPresent() || password().isPresent()) {
            String pair = userName().orElse("") + ":" + password().orElse("");
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (!settings.subprotocols().isEmpty()) {
            b.subprotocols(settings.subprotocols().get(0), settings.subprotocols().subList(1,
                    settings.subprotocols().size()).toArray(String[]::new));
        }
        CompletableFuture<WebSocket> f = b.buildAsync(settings.target(), new Listener());
        opening = f;
        WebSocket ws;
        try {
            ws = f.get(Math.max(1, connectTimeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            f.thenAccept(WebSocket::abort);
            throw new SocketTimeoutException("no WebSocket handshake answer within the connect timeout ("
                    + connectTimeout.toMillis() + " ms)");
        } catch (ExecutionException e) {
            throw handshakeFailure(e.getCause());
        }
        socket = ws;
        if (state() == ConnectionState.DISCONNECTED) {
            ws.abort(); // dropped while the handshake ran
        }
        session.subprotocol(ws.getSubprotocol());
        if (!settings.subprotocols().isEmpty() && ws.getSubprotocol().isEmpty()) {
            ws.abort();
            throw new UnplugException(ErrorKind.NOT_SUPPORTED, "the server at " + uri() + " agreed to none of the"
                    + " subprotocols asked for " + settings.subprotocols());
        }
        advance(ConnectionState.CONNECTED);
        advance(ConnectionState.AUTHENTICATED);
    }

    private Exception handshakeFailure(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            ErrorKind kind = status == 401 ? ErrorKind.AUTHENTICATION_FAILED : status == 403 ? ErrorKind.ACCESS_DENIED
                    : status == 404 ? ErrorKind.INVALID_ARGUMENT : ErrorKind.CONNECT_FAILED;
            return new UnplugException(kind, "the WebSocket handshake with " + uri() + " was refused: HTTP " + status,
                    h, status, "HTTP " + status);
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
            return new SocketTimeoutException("WebSocket connect to " + uri() + " timed out: " + cause.getMessage());
        }
        if (cause instanceof SSLException || cause instanceof ConnectException || cause instanceof IOException) {
            return (Exception) cause;
        }
        return cause instanceof Exception e ? e : new IOException(String.valueOf(cause), cause);
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        long until = System.nanoTime() + remaining.toNanos();
        GoodbyeReply early = sendGoodbye(remaining);
        return early != null ? early : readGoodbye(Duration.ofNanos(Math.max(1_000_000L, until - System.nanoTime())));
    }

    /** The close frame sent without waiting; the server's close frame read later, by no thread. */
    @Override
    protected GoodbyeReply sendGoodbye(Duration remaining) throws Exception {
        goodbyeSent = true;
        socket.sendClose(settings.closeStatus(), settings.closeReason());
        return null;
    }

    @Override
    protected boolean goodbyeAnswerReady() {
        return serverClose.isDone();
    }

    @Override
    protected GoodbyeReply readGoodbye(Duration remaining) throws Exception {
        Close c;
        try {
            c = serverClose.get(Math.max(1, remaining.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("close " + settings.closeStatus() + " sent; no close frame from the"
                    + " server within the deadline");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        String text = "close " + settings.closeStatus() + " sent; the server answered close " + c;
        if (c.status() == WebSocket.NORMAL_CLOSURE) {
            return GoodbyeReply.accepted(text);
        }
        return GoodbyeReply.refused(text, new UnplugException(ErrorKind.FAILED, "the server at " + uri()
                + " answered the close with status " + c, null, c.status(), c.toString()));
    }

    @Override
    protected void abortTransport(boolean reset) {
        session.end(new IOException("the connection was dropped"), true);
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
            return;
        }
        CompletableFuture<WebSocket> f = opening;
        if (f != null) {
            f.thenAccept(WebSocket::abort); // a handshake still running ends as soon as it completes
        }
    }

    @Override
    protected void releaseTransport() {
        session.end(new IOException("the connection was disconnected"), true);
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        if (ws.isInputClosed() && ws.isOutputClosed()) {
            // both close frames have passed: the JDK closes the connection itself; the abort only makes sure of it,
            // off the caller's thread
            cleanUpLater("releasing the WebSocket of " + uri(), ws::abort);
        } else {
            ws.abort();
        }
    }

    @Override
    protected Object view(Class<?> type) {
        return type == WebSocketSession.class ? session : null;
    }

    @Override
    protected UnplugException translate(Exception failure, String during) {
        if (failure instanceof Oversized o) {
            return new UnplugException(ErrorKind.MALFORMED_REPLY, "websocket " + during + " on " + uri() + ": "
                    + o.getMessage(), o);
        }
        return super.translate(failure, during);
    }

    /** The JDK's callbacks: whole messages into the session's inbox, the server's close recorded. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private long size;

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (grow(ws, data.length())) {
                text.append(data);
                if (last) {
                    session.arrived(new WebSocketMessage(false, text.toString().getBytes(StandardCharsets.UTF_8)));
                    text.setLength(0);
                    size = 0;
                }
                ws.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (grow(ws, data.remaining())) {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                binary.writeBytes(chunk);
                if (last) {
                    session.arrived(new WebSocketMessage(true, binary.toByteArray()));
                    binary.reset();
                    size = 0;
                }
                ws.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            ws.request(1); // the JDK answers with a pong itself
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            Close c = new Close(status, reason == null ? "" : reason);
            serverClose.complete(c);
            if (!goodbyeSent) {
                session.end(new IOException("the server closed the WebSocket: " + c), false);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            IOException e = error instanceof IOException io ? io : new IOException("the WebSocket failed: " + error,
                    error);
            serverClose.completeExceptionally(e);
            session.end(e, false);
        }

        /** Whether a message may grow by so many bytes; if not, the WebSocket is aborted. */
        private boolean grow(WebSocket ws, long bytes) {
            size += bytes;
            long cap = options().maxReplySize();
            if (size <= cap) {
                return true;
            }
            Oversized o = new Oversized("the server sent a message of more than " + cap + " bytes (maxReplySize)");
            serverClose.completeExceptionally(o);
            session.end(o, false);
            ws.abort();
            return false;
        }
    }
}
