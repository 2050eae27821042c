package dev.unplug.api.session;

import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A multicast transport server ({@code IWdsTransportServer}): namespaces hold contents (files); a client joins a
 * content with the URI {@link #uri(String, String)} gives and receives it multicast with every other client of that
 * content; the server sees each client as a {@link TransportSessionClient} and disconnects one with a
 * {@link DisconnectType}. Started by a plugin's {@link Factory}, which an application gets from its plugin host
 * ({@code host.extension("wds", TransportServer.Factory.class)}), so that it works with a plugin loaded from a
 * plugins folder too. Thread-safe; {@link #close()} ends every session, connection and thread of the server.
 *
 * <p>Every method raises {@link UnplugException}: {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} for nulls,
 * {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} for a bad name or an unknown namespace, content or client,
 * {@link dev.unplug.api.ErrorKind#INVALID_STATE} once closed; a refused call changes nothing.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface TransportServer extends AutoCloseable {

    /** The TCP port clients connect to. */
    int port();

    /** The URI a client opens to receive a content, such as {@code wds://127.0.0.1:PORT/NAMESPACE/CONTENT}. */
    URI uri(String namespace, String content);

    /** Registers a namespace (idempotent). */
    void register(String namespace);

    /** Adds a file as a content of a registered namespace; it is read when a session sends it. */
    void addContent(String namespace, String content, Path file);

    /** Removes a namespace; with {@code terminateSessions}, its running sessions end (clients aborted). */
    void deregister(String namespace, boolean terminateSessions);

    /** Ends the running session of a content, its clients disconnected with abort. */
    void terminateContent(String namespace, String content);

    /** The clients in a session now, by id. */
    List<TransportSessionClient> clients();

    /** A client in a session now, or one that left recently. */
    TransportSessionClient client(long id);

    /**
     * Disconnects one client with a type; returns within about 2 s even from a client that stopped reading.
     *
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#NOT_CONNECTED} for a client that has left,
     *         {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} for {@link DisconnectType#UNKNOWN}
     */
    void disconnect(long clientId, DisconnectType type);

    /** Kicks several clients with one type and a reason they receive; every id is checked first. */
    void kick(Collection<Long> clientIds, DisconnectType type, String reason);

    /** Bytes multicast by all sessions so far. */
    long bytesMulticast();

    /** Blocks multicast again because clients reported them missing. */
    long blocksRepaired();

    /** Bytes of blocks sent by unicast to clients that fell back. */
    long bytesUnicast();

    /** Blocks sent by unicast to clients that fell back. */
    long blocksUnicast();

    /** Clients the server fell back to unicast itself, because they missed too much to repair by multicast. */
    long slowClientsFallenBack();

    /** Stops the server and waits (bounded) for its threads; idempotent, never throws. */
    @Override
    void close();

    /**
     * Starts servers: a plugin-wide extension ({@code host.extension(scheme, TransportServer.Factory.class)}).
     *
     * @since 0.1
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    interface Factory {

        /**
         * Starts a server with settings as options, each with a safe default (loopback only): {@code bindAddress}
         * (127.0.0.1), {@code port} (ephemeral), {@code interface} ({@code lo}), {@code ttl} (0), {@code group}
         * (239.255.77.77), {@code blockSize}, {@code rate} (bytes per second), {@code startDelay} (a duration such
         * as {@code 200ms}), {@code inactivityTimeout}, {@code maxRepairShare}; the plugin documents its own.
         *
         * @param options the settings; unknown ones are refused
         * @return the running server
         * @throws UnplugException {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} naming a bad or unknown option,
         *         {@link dev.unplug.api.ErrorKind#SOCKET_ERROR} when the port cannot be bound
         */
        TransportServer start(Options options);
    }
}
