package dev.unplug.wds;

import com.google.auto.service.AutoService;
import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.api.session.TransportServer;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.SocketConnection;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import java.net.URI;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Clients of a wds multicast transport server, for {@code wds://HOST:PORT/NAMESPACE/CONTENT} URIs, reached as
 * {@link dev.unplug.api.session.TransferClient} ({@code connection.unwrap(TransferClient.class)}); and the server,
 * started through {@link #extension} as a {@link TransportServer.Factory}. Cheap to construct; thread-safe.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "wds", schemes = "wds", apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class WdsProvider implements UnplugProvider {

    /** Cheap: no I/O, no threads. */
    public WdsProvider() {
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRACEFUL_GOODBYE);
    }

    /**
     * A client of the content the URI names; no I/O until {@code connect}.
     *
     * @throws dev.unplug.api.UnplugException {@code NULL_ARGUMENT} for nulls, {@code INVALID_ARGUMENT} for another
     *         scheme, a URI without host, port, namespace or content, or a bad option
     */
    @Override
    public Connection open(URI uri, Options options) {
        return new WdsConnection(SocketConnection.requireTarget(this, uri, options), options);
    }

    /** {@link TransportServer.Factory}: starts wds servers from options (see {@link WdsServer.Builder}). */
    @Override
    public <T> T extension(Class<T> type) {
        return type == TransportServer.Factory.class ? type.cast(new ServerFactory()) : null;
    }
}
