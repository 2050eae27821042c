package dev.unplug.api.link;

import org.apiguardian.api.API;

/**
 * Told of each status change of a link as the kernel announces it. Called on the connection's event thread, in
 * order; keep it short and do not block.
 *
 * @since 0.1
 */
@FunctionalInterface
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface LinkListener {

    /**
     * The link's status changed.
     *
     * @param from the status before
     * @param to the status now
     * @param kernel what the kernel reported, as {@code ip link} prints it (flags and state), for messages
     */
    void statusChanged(LinkStatus from, LinkStatus to, String kernel);
}
