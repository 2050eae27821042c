package dev.unplug.api.link;

import org.apiguardian.api.API;

/**
 * The status of a network connection ({@code NETCON_STATUS}), with the original numeric values, as a Linux network
 * link reports it. Each constant says what the kernel shows for it (flags and {@code operstate}, as
 * {@code ip link} prints them); those that Linux has no honest equivalent for are never reported, and say so.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum LinkStatus {
    /** {@code NCS_DISCONNECTED}: administratively down (no {@code UP} flag), after this connection's disconnect. */
    DISCONNECTED(0),
    /** {@code NCS_CONNECTING}: this connection set the link up and the kernel does not report it operational yet. */
    CONNECTING(1),
    /** {@code NCS_CONNECTED}: {@code UP} with {@code LOWER_UP}, operstate {@code UP} (or {@code UNKNOWN}, as for a dummy link). */
    CONNECTED(2),
    /** {@code NCS_DISCONNECTING}: this connection set the link down and the kernel still reports it up. */
    DISCONNECTING(3),
    /** {@code NCS_HARDWARE_NOT_PRESENT}: the link does not exist (deleted, or its namespace is gone), or operstate {@code NOTPRESENT}. */
    HARDWARE_NOT_PRESENT(4),
    /**
     * {@code NCS_HARDWARE_DISABLED}: the link was set administratively down by someone else while this connection
     * had it connected (Windows' "disabled" adapter: turned off outside the connection's control).
     */
    HARDWARE_DISABLED(5),
    /** {@code NCS_HARDWARE_MALFUNCTION}: no Linux equivalent (a driver failure shows as a missing carrier): never reported. */
    HARDWARE_MALFUNCTION(6),
    /**
     * {@code NCS_MEDIA_DISCONNECTED}: {@code UP} but no carrier ({@code NO-CARRIER}; operstate {@code DOWN} or
     * {@code LOWERLAYERDOWN}), as when a veth link's peer is down or a cable is pulled.
     */
    MEDIA_DISCONNECTED(7),
    /** {@code NCS_AUTHENTICATING}: operstate {@code DORMANT}, which 802.1X supplicants set while authenticating. */
    AUTHENTICATING(8),
    /** {@code NCS_AUTHENTICATION_SUCCEEDED}: no kernel-visible equivalent (a supplicant's event): never reported. */
    AUTHENTICATION_SUCCEEDED(9),
    /** {@code NCS_AUTHENTICATION_FAILED}: no kernel-visible equivalent (the link just stays dormant): never reported. */
    AUTHENTICATION_FAILED(10),
    /** {@code NCS_INVALID_ADDRESS}: no kernel-visible equivalent at link level: never reported. */
    INVALID_ADDRESS(11),
    /** {@code NCS_CREDENTIALS_REQUIRED}: no kernel-visible equivalent: never reported. */
    CREDENTIALS_REQUIRED(12);

    private final int value;

    LinkStatus(int value) {
        this.value = value;
    }

    /** The original {@code NETCON_STATUS} value. */
    public int value() {
        return value;
    }
}
