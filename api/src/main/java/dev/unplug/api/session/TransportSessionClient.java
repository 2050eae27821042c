package dev.unplug.api.session;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One client of a multicast transport session, as the server sees it ({@code IWdsTransportClient}).
 * Implementations are thread-safe; the figures are a snapshot that changes as the client progresses.
 *
 * <p>Utilisation: the original also lists the client's CPU, memory and network utilisation. Only what the server
 * can measure honestly is offered: {@link #bytesReceived()} and {@link #receiveBytesPerSecond()}, both reported
 * by the client itself in its status messages. CPU and memory are not reported (a client's load says nothing
 * about the transfer and the server cannot check it).
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface TransportSessionClient {

    /** The server-assigned client id, unique for the server's lifetime. */
    long id();

    /** The name the client gave when it joined. */
    String name();

    /**
     * The client's MAC address as {@code aa:bb:cc:dd:ee:ff}, where the server can know it: only for a client on
     * one of the server's own links, looked up in the kernel's neighbour table. Empty for loopback clients (the
     * loopback link has no hardware address) and for clients behind a router (their frames carry the router's).
     */
    Optional<String> macAddress();

    /** The client's IP address, as the server's control connection sees it. */
    InetAddress address();

    /** How much of the content the client has, 0 to 100. */
    int percentComplete();

    /** Bytes of content the client holds, by multicast and unicast together. */
    long bytesReceived();

    /** The client's receive rate over its last status interval, in bytes per second. */
    long receiveBytesPerSecond();

    /** Time since the client joined the session. */
    Duration joinedFor();

    /** Why the client left, or empty while it is still in the session. */
    Optional<LeaveReason> leftBecause();

    /**
     * Disconnects this client from the session with a type: {@link DisconnectType#FALLBACK} makes it leave the
     * multicast session and fetch only the blocks it lacks by unicast; {@link DisconnectType#ABORT} makes it leave
     * and stop trying this server, keeping no complete-looking file.
     *
     * @param type {@link DisconnectType#FALLBACK} or {@link DisconnectType#ABORT}
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for {@link DisconnectType#UNKNOWN} (nothing
     *         changes), {@link ErrorKind#NULL_ARGUMENT} for null, {@link ErrorKind#NOT_CONNECTED} when the client
     *         has left
     */
    void disconnect(DisconnectType type);
}
