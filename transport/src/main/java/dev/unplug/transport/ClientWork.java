package dev.unplug.transport;

import org.apache.commons.net.SocketClient;
import org.apiguardian.api.API;

/**
 * Work an application runs on a connection's Apache Commons Net client, through
 * {@link ClientAccess#withClient(String, ClientWork)}: under the connection's command lock, so it never
 * interleaves with another command or with the goodbye.
 *
 * @param <C> the Commons Net client type
 * @param <T> what the work returns
 *
 * @since 0.1
 */
@FunctionalInterface
@API(status = API.Status.STABLE, since = "0.1")
public interface ClientWork<C extends SocketClient, T> {

    /**
     * Runs the work.
     *
     * @param client the connected client; do not keep it past this call and do not disconnect it
     * @return the result
     * @throws Exception any failure; an I/O failure ends the connection (its stream can no longer be trusted)
     *         and is raised as a typed {@link dev.unplug.api.UnplugException}
     */
    T run(C client) throws Exception;
}
