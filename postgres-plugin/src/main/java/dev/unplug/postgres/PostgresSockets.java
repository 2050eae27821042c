package dev.unplug.postgres;

import dev.unplug.spi.OwnedSocket;
import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * The socket factory pgjdbc is told to use ({@code socketFactory} property, with the connection's key as
 * {@code socketFactoryArg}): the first socket it makes for a connection is that connection's session socket, which
 * the plugin owns (a drop closes it, a graceful disconnect awaits the server's end on it); any later one is a
 * cancel request's own socket, left to pgjdbc. Public only because pgjdbc instantiates it by name; not an API.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PostgresSockets extends OwnedSocket.Factory {

    private static final Map<String, PostgresConnection> PENDING = new ConcurrentHashMap<>();

    private final PostgresConnection owner;

    /**
     * Called by pgjdbc with the connection's key.
     *
     * @param key what {@link #register(PostgresConnection)} returned
     */
    public PostgresSockets(String key) {
        this.owner = PENDING.get(key);
    }

    static String register(PostgresConnection c) {
        String key = Integer.toHexString(System.identityHashCode(c)) + "-" + System.nanoTime();
        PENDING.put(key, c);
        return key;
    }

    static void unregister(String key) {
        PENDING.remove(key);
    }

    @Override
    public Socket createSocket() throws IOException {
        if (owner == null) {
            return new Socket();
        }
        return owner.newSocket();
    }
}
