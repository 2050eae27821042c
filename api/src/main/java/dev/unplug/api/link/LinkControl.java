package dev.unplug.api.link;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import org.apiguardian.api.API;

/**
 * What a network-link connection offers beyond the contract ({@code connection.unwrap(LinkControl.class)}).
 * Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface LinkControl {

    /** The link's status now, as last announced by the kernel. */
    LinkStatus status();

    /**
     * Adds a listener told of every status change from now on.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for null
     */
    void addLinkListener(LinkListener listener);

    /** Removes a listener; does nothing when it was not added. */
    void removeLinkListener(LinkListener listener);

    /**
     * Sets the link's carrier, as pulling or plugging a cable would (the link then reports
     * {@link LinkStatus#MEDIA_DISCONNECTED} or {@link LinkStatus#CONNECTED}).
     *
     * @throws UnplugException {@link ErrorKind#NOT_SUPPORTED} when the link's type cannot do it (only some, such as
     *         {@code dummy}, can), {@link ErrorKind#NOT_CONNECTED} before connect or after the end,
     *         {@link ErrorKind#ACCESS_DENIED} without the permission
     */
    void setCarrier(boolean on);
}
