package dev.unplug.api.session;

import java.net.InetAddress;
import java.time.Duration;

/**
 * One client of a multicast transport session, as the server sees it. Implementations are thread-safe; the
 * figures are a snapshot that changes as the client progresses.
 */
public interface TransportSessionClient {

    /** The server-assigned client id. */
    long id();

    /** The client's name. */
    String name();

    /** The client's MAC address, as text. */
    String macAddress();

    /** The client's IP address. */
    InetAddress address();

    /** How much of the content the client has, 0 to 100. */
    int percentComplete();

    /** Time since the client joined the session. */
    Duration joinedFor();

    /**
     * Disconnects this client from the session with a type.
     *
     * @param type {@link DisconnectType#FALLBACK} or {@link DisconnectType#ABORT}
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for {@link DisconnectType#UNKNOWN},
     *         {@link ErrorKind#NULL_ARGUMENT} for null, {@link ErrorKind#NOT_CONNECTED} when the client has left
     */
    void disconnect(DisconnectType type);
}
