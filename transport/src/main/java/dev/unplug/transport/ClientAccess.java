package dev.unplug.transport;

import dev.unplug.api.UnplugException;
import org.apache.commons.net.SocketClient;
import org.apiguardian.api.API;

/**
 * Typed access to the Apache Commons Net client beneath an internet transport connection, for protocol work
 * the plugin's own session API does not cover. Get it with {@code connection.unwrap(ClientAccess.class)} or
 * through a plugin's session interface, which extends it.
 *
 * <p>Thread-safe: work runs one at a time under the connection's command lock.
 *
 * @param <C> the Commons Net client type
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface ClientAccess<C extends SocketClient> {

    /**
     * Runs work on the client under the command lock: the connection is {@link dev.unplug.api.ConnectionState#BUSY}
     * meanwhile, a graceful disconnect waits for it (within its deadline), and no other command's bytes can
     * interleave with it. Re-entrant for the thread that runs it.
     *
     * @param what a name of the work for messages, such as {@code "RETR 1"}; never a password
     * @param work the work
     * @param <T> what the work returns
     * @return what the work returns
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#NOT_INITIALISED} before connect,
     *         {@link dev.unplug.api.ErrorKind#NOT_CONNECTED} after disconnect,
     *         {@link dev.unplug.api.ErrorKind#CONNECTION_DROPPED} when dropped meanwhile,
     *         {@link dev.unplug.api.ErrorKind#BUSY} when another command held the lock past the read timeout,
     *         {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} for nulls, or the work's own error, typed
     */
    <T> T withClient(String what, ClientWork<C, T> work);
}
