package dev.unplug.transport;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.Capability;
import dev.unplug.spi.UnplugProvider;
import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The shared base of the internet transport providers: a plugin's provider passes its default ports and
 * whether its protocol has STARTTLS, and makes its connection in {@link #create(URI, Options, int)}; this class
 * checks the URI (scheme served, host present, port in range) and reports the capabilities. Id and schemes come
 * from the {@link dev.unplug.spi.UnplugPlugin} annotation of the subclass. No I/O anywhere.
 *
 * <pre>{@code
 * @AutoService(UnplugProvider.class)
 * @UnplugPlugin(id = "smtp", schemes = {"smtp", "smtps"}, apiVersion = ApiVersion.CURRENT)
 * public final class SmtpProvider extends InternetTransportProvider {
 *     public SmtpProvider() { super(Map.of("smtp", 25, "smtps", 465), true); }
 *     protected Connection create(URI uri, Options options, int defaultPort) {
 *         return new SmtpConnection(uri, options, defaultPort);
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe and immutable.
 *
 * @since 0.1
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public abstract class InternetTransportProvider implements UnplugProvider {

    private final Map<String, Integer> defaultPorts;
    private final Set<Capability> capabilities;

    /**
     * Creates the provider. Cheap: no I/O.
     *
     * @param defaultPorts the default port of each scheme served, keys in lower case
     * @param startTls whether the protocol can upgrade with STARTTLS (or STLS)
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls
     */
    protected InternetTransportProvider(Map<String, Integer> defaultPorts, boolean startTls) {
        this.defaultPorts = Map.copyOf(UnplugException.requireNonNull(defaultPorts, "defaultPorts"));
        Set<Capability> c = EnumSet.of(Capability.GRACEFUL_GOODBYE, Capability.TLS, Capability.AUTHENTICATION,
                Capability.RESET_ON_DROP, Capability.COMMANDS);
        if (startTls) {
            c.add(Capability.STARTTLS);
        }
        this.capabilities = Set.copyOf(c);
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }

    /**
     * The default port of a scheme served, such as 25 for {@code smtp}.
     *
     * @param scheme a scheme, any case
     * @return the port
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for a scheme this plugin does not serve,
     *         {@link ErrorKind#NULL_ARGUMENT} for null
     */
    public final int defaultPort(String scheme) {
        String s = UnplugException.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT);
        Integer port = defaultPorts.get(s);
        // defaultPorts holds exactly the schemes served; schemes() (the annotation, read reflectively) only words
        // the error: reading it on every open cost a cold first open several milliseconds
        if (port == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the " + id() + " plugin serves " + schemes()
                    + ", not scheme '" + scheme + "'");
        }
        return port;
    }

    /**
     * Checks the URI and makes an unconnected connection. No I/O.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls; {@link ErrorKind#INVALID_ARGUMENT} for a
     *         URI that is not {@code scheme://[user[:password]@]host[:port]} with a scheme served, or a bad option
     */
    @Override
    public final Connection open(URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        String shown = Redaction.text(uri);
        if (uri.getScheme() == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "URI " + shown + " has no scheme; the " + id()
                    + " plugin serves " + schemes());
        }
        int port = defaultPort(uri.getScheme());
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "URI " + shown + " has no host; write "
                    + uri.getScheme() + "://host:port");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "port of " + shown + " must be 1 to 65535");
        }
        return create(uri, options, port);
    }

    /**
     * Makes the plugin's connection, unconnected. The URI has been checked.
     *
     * @param uri the target
     * @param options the options given to {@link #open(URI, Options)}
     * @param defaultPort the default port of the URI's scheme
     * @return the connection
     */
    protected abstract Connection create(URI uri, Options options, int defaultPort);
}
