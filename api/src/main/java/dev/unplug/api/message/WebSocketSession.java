package dev.unplug.api.message;

import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Send and receive on a WebSocket connection, reached with {@code connection.unwrap(WebSocketSession.class)} on a
 * connection of the websocket plugin (opened or adopted). Each call runs as one of the connection's commands (state
 * {@code BUSY}; a graceful disconnect follows its {@link dev.unplug.api.BusyPolicy}); a send is bounded by the
 * connection's read timeout; a drop makes a thread blocked in one return at once with
 * {@link dev.unplug.api.ErrorKind#CONNECTION_DROPPED}. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface WebSocketSession {

    /**
     * The subprotocol the server agreed to, or the empty string when none was asked for.
     *
     * @return the subprotocol
     */
    String subprotocol();

    /**
     * Sends a text message, waiting until it is written.
     *
     * @param text the text
     * @throws dev.unplug.api.UnplugException {@code NULL_ARGUMENT}, {@code TIMEOUT} when it could not be written
     *         within the read timeout, {@code CONNECTION_DROPPED}, {@code NOT_CONNECTED} after the server closed
     */
    void sendText(String text);

    /**
     * Sends a binary message, waiting until it is written.
     *
     * @param data the bytes (copied)
     * @throws dev.unplug.api.UnplugException as {@link #sendText(String)}
     */
    void sendBinary(byte[] data);

    /**
     * The next message from the server, waiting up to the timeout. A message beyond the connection's
     * {@code maxReplySize} ends the connection ({@code MALFORMED_REPLY}) instead of filling the memory.
     *
     * @param timeout how long to wait (beyond a day counts as a day)
     * @return the message, or empty when none came in time
     * @throws dev.unplug.api.UnplugException {@code CONNECTION_DROPPED} when the connection was dropped, before or
     *         while waiting; {@code NOT_CONNECTED} when the server closed it (its status and reason in the message)
     */
    Optional<WebSocketMessage> receive(Duration timeout);
}
