package dev.unplug.api;

import org.apiguardian.api.API;

/**
 * What a graceful disconnect does when another thread has a command in flight on the same connection.
 * Either way, bytes of two commands are never interleaved.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum BusyPolicy {
    /** Wait for the command to finish, within the disconnect's deadline; at the deadline, drop (escalate). */
    WAIT,
    /** Do not wait: raise {@link ErrorKind#BUSY} and leave the connection as it was. */
    REFUSE
}
