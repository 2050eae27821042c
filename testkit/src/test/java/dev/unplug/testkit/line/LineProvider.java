package dev.unplug.testkit.line;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;

/**
 * A minimal third-party plugin for the testkit's own tests: a line protocol over a plain socket (greeting
 * {@code +HELLO}, optional {@code LOGIN user password} answered {@code +OK}, goodbye {@code QUIT} answered
 * {@code +BYE}); {@code lines://} is the same over implicit TLS with host name verification. Registered by
 * hand in {@code META-INF/services}, as a plugin without AutoService would be.
 */
@UnplugPlugin(id = "line", schemes = {"line", "lines"}, apiVersion = ApiVersion.CURRENT)
public final class LineProvider implements UnplugProvider {

    /** Cheap, as the SPI requires. */
    public LineProvider() {
    }

    @Override
    public String version() {
        return "0.0.1-test";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.GRACEFUL_GOODBYE, Capability.TLS, Capability.AUTHENTICATION,
                Capability.RESET_ON_DROP, Capability.COMMANDS);
    }

    @Override
    public Connection open(URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        if (!"line".equalsIgnoreCase(uri.getScheme()) && !"lines".equalsIgnoreCase(uri.getScheme())) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the line plugin serves line:// and lines://"
                    + " URIs, not " + uri.getScheme());
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a line URI needs a host and a port");
        }
        return new LineConnection(uri, options);
    }
}
