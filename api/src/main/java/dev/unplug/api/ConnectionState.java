package dev.unplug.api;

import org.apiguardian.api.API;

/**
 * Where a {@link Connection} is in its life. The order of the constants is the order of a normal life:
 * {@code NOT_INITIALISED → CONNECTING → [SECURING] → CONNECTED → [AUTHENTICATED] ⇄ BUSY → DISCONNECTING →
 * DISCONNECTED}. A drop goes straight to {@link #DISCONNECTED} from any state after {@link #NOT_INITIALISED}.
 *
 * <p>A connection is single-use: once {@link #DISCONNECTED} it stays there.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum ConnectionState {
    /** Created, never connected. Disconnect and drop raise {@link ErrorKind#NOT_INITIALISED}. */
    NOT_INITIALISED,
    /** Looking up the host and opening the socket. */
    CONNECTING,
    /** Negotiating TLS (implicit TLS, STARTTLS). */
    SECURING,
    /** Connected and greeted, not authenticated. */
    CONNECTED,
    /** Connected and logged in. */
    AUTHENTICATED,
    /** A command is in flight; a graceful disconnect waits for it (or is refused with {@link ErrorKind#BUSY}). */
    BUSY,
    /** The goodbye has been sent and its answer is awaited, under a deadline. */
    DISCONNECTING,
    /** Closed: every socket and stream is released. Final. */
    DISCONNECTED;

    /** Whether the connection is up and idle: {@link #CONNECTED} or {@link #AUTHENTICATED}. */
    public boolean isOpen() {
        return this == CONNECTED || this == AUTHENTICATED;
    }
}
