package dev.unplug.netcon;

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
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Linux network links as connections, for {@code netcon://LINK[?netns=NAMESPACE]} URIs (for example
 * {@code netcon://veth-a?netns=unplug-test}); see {@link dev.unplug.api.link.LinkControl} for the status and
 * events. Talks to the kernel through iproute2's {@code ip} (arguments as a list, names checked; never a shell).
 * Changing a link needs root or {@code CAP_NET_ADMIN}. Cheap to construct; thread-safe.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "netcon", schemes = "netcon", apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class NetconProvider implements UnplugProvider {

    private final List<String> ipCommand;

    /** Cheap: no I/O, no process. */
    public NetconProvider() {
        this(List.of("ip"));
    }

    /** For tests: runs {@code ip} through another command (such as {@code setpriv ... ip}). */
    NetconProvider(List<String> ipCommand) {
        this.ipCommand = List.copyOf(ipCommand);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * A connection to the link the URI names; no I/O until {@code connect}.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls, {@link ErrorKind#INVALID_ARGUMENT} for
     *         another scheme, a bad link or namespace name, a port or a path
     */
    @Override
    public Connection open(URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        if (!"netcon".equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the netcon plugin needs netcon://LINK[?netns=NS],"
                    + " not " + Redaction.text(uri));
        }
        return new NetconConnection(uri, options, ipCommand);
    }
}
