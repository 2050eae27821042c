package dev.unplug.bench;

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
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls, {@link ErrorKind#INVALID_ARGUMENT} when
     *         the URI has no host or port
     */
    @Override
    public Connection open(URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "bench needs bench://host:port, not "
                    + Redaction.text(uri));
        }
        return new BenchConnection(uri, options);
    }
}
