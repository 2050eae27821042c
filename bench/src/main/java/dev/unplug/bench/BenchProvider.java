package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.SocketConnection;
import dev.unplug.spi.UnplugProvider;
import java.net.URI;
import java.util.Set;

/**
 * A minimal TCP plugin for the bench, scheme {@code bench://host:port}: connect reads one greeting line, the
 * goodbye sends {@code QUIT} and expects {@code BYE}. Registered in {@code META-INF/services}. Thread-safe
 * (stateless).
 */
@UnplugPlugin(id = "bench-tcp", schemes = {"bench"}, apiVersion = ApiVersion.CURRENT)
public final class BenchProvider implements UnplugProvider {

    /** Cheap: no I/O. */
    public BenchProvider() {
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.GRACEFUL_GOODBYE, Capability.RESET_ON_DROP);
    }

    /**
     * An unconnected connection; no I/O.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls, {@link ErrorKind#INVALID_ARGUMENT} for a
     *         scheme other than {@code bench} or a URI without a host ({@link SocketConnection#requireTarget})
     */
    @Override
    public Connection open(URI uri, Options options) {
        return new BenchConnection(SocketConnection.requireTarget(this, uri, options), options);
    }
}
