package dev.unplug.api.session;

import org.apiguardian.api.API;

/**
 * Why a client left a multicast transport session.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum LeaveReason {
    /** It has the whole content, verified. */
    COMPLETE,
    /** It left on its own before completing (a graceful disconnect). */
    CANCELLED,
    /** It went silent for longer than the server's inactivity timeout, or its connection was lost. */
    INACTIVE,
    /** The server disconnected it with {@link DisconnectType#FALLBACK}: it finishes by unicast. */
    FALLBACK,
    /** The server disconnected it with {@link DisconnectType#ABORT}, or terminated its session. */
    ABORTED
}
