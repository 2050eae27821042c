package dev.unplug.websocket;

import com.google.auto.service.AutoService;
import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * WebSocket connections on the JDK's {@code java.net.http.WebSocket}: {@code ws://host[:port][/path][?query]} and
 * {@code wss://} (TLS with Unplug's TLS options). A graceful disconnect is the close handshake of RFC 6455 section 7
 * within the deadline (CLEAN when the server answers 1000, REFUSED for another status, ESCALATED for none); a drop
 * aborts at once. The application sends and receives through
 * {@code connection.unwrap(dev.unplug.api.message.WebSocketSession.class)}. Cheap to construct; thread-safe.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "websocket", schemes = {"ws", "wss"}, apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class WebSocketProvider implements UnplugProvider {

    /** Cheap: no I/O, no threads. */
    public WebSocketProvider() {
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRACEFUL_GOODBYE, Capability.COMMANDS, Capability.AUTHENTICATION);
    }

    /**
     * A WebSocket to the URI; no I/O until {@code connect}.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls, {@link ErrorKind#INVALID_ARGUMENT} for
     *         another scheme, no host, a fragment, or a bad close status, reason or subprotocol
     */
    @Override
    public Connection open(URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes().contains(scheme)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the websocket plugin serves ws:// and wss:// URIs,"
                    + " not " + Redaction.text(uri));
        }
        Options all = Options.fromUri(uri).with(options);
        return new WebSocketConnection(uri, all, WsSettings.parse(uri, all));
    }

    /**
     * Adopts an open JDK {@link java.net.http.WebSocket}, connected and under the contract (its server's close
     * status observed when it was built with {@link dev.unplug.api.message.WebSocketListeners#observed}); null for
     * anything else.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_STATE} when it has already sent its close
     */
    @Override
    public Connection adopt(Object client, Options options) {
        if (!(client instanceof java.net.http.WebSocket ws)) {
            return null;
        }
        AdoptedWebSocket adopted = new AdoptedWebSocket(URI.create("ws://adopted-websocket/"
                + Integer.toHexString(System.identityHashCode(ws))), options, ws);
        adopted.connect();
        return adopted;
    }
}
