package dev.unplug.api.session;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import org.apiguardian.api.API;

/**
 * How a transport server disconnects one client of a multicast session ({@code WDSTRANSPORT_DISCONNECT_TYPE}).
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum DisconnectType {
    /** Not a valid request: rejected with {@link ErrorKind#INVALID_ARGUMENT}. */
    UNKNOWN(0),
    /** Leave the multicast session and get the rest of the data another way (unicast), losing nothing. */
    FALLBACK(1),
    /** Leave the session and stop trying to get the data from this server. */
    ABORT(2);

    private final int value;

    DisconnectType(int value) {
        this.value = value;
    }

    /** The original numeric value. */
    public int value() {
        return value;
    }

    /**
     * The type with the given original value.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for a value other than 0, 1 or 2
     */
    public static DisconnectType fromValue(int value) {
        for (DisconnectType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "disconnect type must be 0, 1 or 2, not " + value);
    }
}
