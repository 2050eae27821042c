package dev.unplug.websocket;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.WebSocketListeners;
import dev.unplug.api.message.WebSocketMessage;
import dev.unplug.api.message.WebSocketSession;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A JDK {@link WebSocket} the application built itself, adopted ({@code host.adopt(webSocket)}): tracked by the
 * host and ended under the contract. The JDK delivers the server's frames to the application's listener, so: a
 * graceful disconnect sends the close frame and watches the WebSocket's input close within the deadline (the
 * server's close arrived); its status is known when the application built the socket with
 * {@link WebSocketListeners#observed} (CLEAN for 1000, REFUSED otherwise), and otherwise the outcome is CLEAN and
 * says that the status was not observed. A drop aborts it. Sends through the {@link WebSocketSession} view run as
 * commands; {@code receive} is not offered (the messages go to the application's listener). Thread-safe.
 */
final class AdoptedWebSocket extends AbstractConnection {

    private final WebSocket socket;
    private final int closeStatus;
    private final String closeReason;
    private final WebSocketSession view = new View();
    private final boolean observed;

    AdoptedWebSocket(URI uri, Options options, WebSocket socket) {
        super("websocket", uri, options);
        this.socket = socket;
        this.closeStatus = WsSettings.status(options.get(WsSettings.CLOSE_STATUS).orElse("1000"));
        this.closeReason = options.get(WsSettings.CLOSE_REASON).orElse("");
        this.observed = WebSocketListeners.isObserved(socket);
    }

    @Override
    protected void openTransport(Duration connectTimeout) {
        if (socket.isOutputClosed()) {
            throw new UnplugException(ErrorKind.INVALID_STATE, "the WebSocket to adopt for " + uri()
                    + " has already sent its close");
        }
        advance(ConnectionState.CONNECTED);
        advance(ConnectionState.AUTHENTICATED);
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        long until = System.nanoTime() + remaining.toNanos();
        sendGoodbye(remaining);
        while (!goodbyeAnswerReady()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("close " + closeStatus + " sent; no close frame from the server"
                        + " within the deadline");
            }
            Thread.sleep(Math.max(1, Math.min(5, left / 1_000_000L)));
        }
        return readGoodbye(Duration.ofNanos(Math.max(0, until - System.nanoTime())));
    }

    @Override
    protected GoodbyeReply sendGoodbye(Duration remaining) {
        socket.sendClose(closeStatus, closeReason);
        return null;
    }

    /** Observed: the server's status has been recorded (the JDK closes the input before it calls the listener). */
    @Override
    protected boolean goodbyeAnswerReady() {
        return observed ? WebSocketListeners.serverCloseStatus(socket).isPresent() : socket.isInputClosed();
    }

    @Override
    protected GoodbyeReply readGoodbye(Duration remaining) throws Exception {
        if (!goodbyeAnswerReady()) {
            throw new SocketTimeoutException("close " + closeStatus + " sent; no close frame from the server within"
                    + " the deadline");
        }
        OptionalInt status = WebSocketListeners.serverCloseStatus(socket);
        if (status.isEmpty()) {
            return GoodbyeReply.accepted("close " + closeStatus + " sent; the server's close arrived; its status was"
                    + " not observed (build the WebSocket with WebSocketListeners.observed(listener) to see it)");
        }
        String reason = WebSocketListeners.serverCloseReason(socket).orElse("");
        String text = "close " + closeStatus + " sent; the server answered close " + status.getAsInt()
                + (reason.isEmpty() ? "" : " '" + reason + "'");
        if (status.getAsInt() == WebSocket.NORMAL_CLOSURE) {
            return GoodbyeReply.accepted(text);
        }
        return GoodbyeReply.refused(text, new UnplugException(ErrorKind.FAILED, "the server at " + uri()
                + " answered the close with status " + status.getAsInt(), null, status.getAsInt(), text));
    }

    @Override
    protected void abortTransport(boolean reset) {
        socket.abort();
    }

    @Override
    protected Object view(Class<?> type) {
        return type == WebSocketSession.class ? view : null;
    }

    /** Sends as commands; receiving is the application's listener's. */
    private final class View implements WebSocketSession {
        @Override
        public String subprotocol() {
            return socket.getSubprotocol();
        }

        @Override
        public void sendText(String text) {
            UnplugException.requireNonNull(text, "text");
            command("send text", () -> socket.sendText(text, true).get(Math.max(1, options().readTimeout()
                    .toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS));
        }

        @Override
        public void sendBinary(byte[] data) {
            UnplugException.requireNonNull(data, "data");
            java.nio.ByteBuffer copy = java.nio.ByteBuffer.wrap(data.clone());
            command("send binary", () -> socket.sendBinary(copy, true).get(Math.max(1, options().readTimeout()
                    .toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS));
        }

        @Override
        public Optional<WebSocketMessage> receive(Duration timeout) {
            throw new UnplugException(ErrorKind.NOT_SUPPORTED, "receive on the adopted WebSocket " + uri() + ": its"
                    + " messages go to the application's own listener");
        }
    }
}
