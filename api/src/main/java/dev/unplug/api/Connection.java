package dev.unplug.api;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A connection to a server or device, with one disconnect contract whatever the protocol.
 *
 * <h2>Two ways to end</h2>
 * <ul>
 *   <li>{@link #disconnect(Duration)}: graceful. Sends the protocol's goodbye (SMTP {@code QUIT}, IMAP
 *       {@code LOGOUT}, ...) and waits for its answer, never longer than the deadline. When the deadline passes
 *       or the goodbye fails on the wire, the connection is dropped and the outcome says
 *       {@link DisconnectOutcome.Kind#ESCALATED}. Raises {@link ErrorKind#NOT_INITIALISED} before
 *       {@link #connect()}, and {@link ErrorKind#NOT_CONNECTED} once the connection has ended.</li>
 *   <li>{@link #drop()}: guaranteed and immediate. Sends nothing, takes no lock that a command holds, and is
 *       callable from any thread, even while another thread is blocked reading this connection (the raw socket
 *       is closed beneath any TLS layer). Idempotent: a second drop returns the outcome of the first ending.
 *       Its only error is {@link ErrorKind#NOT_INITIALISED}.</li>
 * </ul>
 *
 * <p>Either way every socket and stream is released before the call returns, and every
 * {@link ConnectionListener} hears {@code disconnected} exactly once. Concurrent disconnects of one connection
 * send the goodbye exactly once and all return the same outcome; a disconnect after the connection has ended
 * raises {@link ErrorKind#NOT_CONNECTED}, as the original transport interface documents.
 *
 * <h2>Thread safety</h2>
 * Implementations are thread-safe. State transitions are atomic (compare-and-set); a refused call leaves the
 * state as it was. Commands run one at a time; a graceful disconnect never interleaves its bytes with a
 * command in flight.
 *
 * <h2>Errors</h2>
 * Every method raises {@link UnplugException} with an {@link ErrorKind}; never a raw
 * {@code NullPointerException} or {@code IOException}.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Connection extends AutoCloseable {

    /** The id of the plugin that made this connection, such as {@code "smtp"}. */
    String pluginId();

    /** The connection's URI with any password replaced by {@code ***}. */
    URI uri();

    /** The current state; changes under the caller as other threads act. */
    ConnectionState state();

    /** Whether a command is in flight ({@link ConnectionState#BUSY}). */
    default boolean isBusy() {
        return state() == ConnectionState.BUSY;
    }

    /**
     * Connects, secures and authenticates as the URI and options say, within the connect timeout.
     *
     * @throws UnplugException {@link ErrorKind#ALREADY_CONNECTED} when connected or connecting,
     *         {@link ErrorKind#INVALID_STATE} after the connection ended (connections are single-use),
     *         or the kind of the failure ({@link ErrorKind#CONNECT_FAILED}, {@link ErrorKind#HOST_NOT_FOUND},
     *         {@link ErrorKind#TIMEOUT}, {@link ErrorKind#AUTHENTICATION_FAILED}, ...), in which case the
     *         connection is {@link ConnectionState#DISCONNECTED} with nothing left open
     */
    void connect();

    /**
     * Disconnects gracefully within the connection's default deadline (option {@code disconnectDeadline},
     * 2 s unless set), waiting for a command in flight.
     *
     * @return how it ended, never null
     * @throws UnplugException {@link ErrorKind#NOT_INITIALISED}, {@link ErrorKind#NOT_CONNECTED}, or
     *         {@link ErrorKind#BUSY} while a connect is in progress (use {@link #drop()} to abort a connect)
     */
    DisconnectOutcome disconnect();

    /**
     * Disconnects gracefully within the given deadline, waiting for a command in flight.
     *
     * @param deadline the most the whole call may take; positive, at most {@link Options#MAX_DURATION}
     * @return how it ended, never null
     * @throws UnplugException as {@link #disconnect()}, plus {@link ErrorKind#NULL_ARGUMENT} and
     *         {@link ErrorKind#INVALID_ARGUMENT} for a null, non-positive or too long deadline, before anything
     *         changes
     */
    default DisconnectOutcome disconnect(Duration deadline) {
        return disconnect(deadline, BusyPolicy.WAIT);
    }

    /**
     * Disconnects gracefully within the given deadline.
     *
     * @param deadline the most the whole call may take; positive, at most {@link Options#MAX_DURATION}
     * @param busyPolicy what to do when a command is in flight
     * @return how it ended, never null
     * @throws UnplugException as {@link #disconnect(Duration)}, plus {@link ErrorKind#BUSY} when a command is
     *         in flight and the policy is {@link BusyPolicy#REFUSE} (the state is left as it was)
     */
    DisconnectOutcome disconnect(Duration deadline, BusyPolicy busyPolicy);

    /**
     * Drops the connection at once: sends nothing, closes the raw socket (with a reset when the option
     * {@code resetOnDrop} is true), and completes every pending operation with
     * {@link ErrorKind#CONNECTION_DROPPED}.
     *
     * @return how the connection ended; the first ending's outcome when it had already ended
     * @throws UnplugException {@link ErrorKind#NOT_INITIALISED} when never connected
     */
    DisconnectOutcome drop();

    /** How the connection ended, once it has. */
    Optional<DisconnectOutcome> outcome();

    /**
     * Adds a listener; adding the same listener twice has no effect.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null
     */
    void addListener(ConnectionListener listener);

    /**
     * Removes a listener; removing an unknown one has no effect.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null
     */
    void removeListener(ConnectionListener listener);

    /**
     * Gives typed access to what the connection offers beyond the contract: a protocol client, capture control
     * ({@link dev.unplug.api.capture.CaptureControl}), and so on.
     *
     * @param type the wanted interface or class
     * @return this connection's view of that type
     * @throws UnplugException {@link ErrorKind#NOT_SUPPORTED} when the connection has no such view,
     *         {@link ErrorKind#NULL_ARGUMENT} when the type is null
     */
    <T> T unwrap(Class<T> type);

    /**
     * Ends the connection for try-with-resources: graceful with the default deadline when connected, a drop
     * while connecting, nothing when never connected or already ended. Never throws.
     */
    @Override
    void close();
}
