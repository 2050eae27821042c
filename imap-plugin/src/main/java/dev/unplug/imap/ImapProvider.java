package dev.unplug.imap;

import com.google.auto.service.AutoService;
import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.api.mail.ImapSession;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.TlsSettings;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.transport.InternetTransportProvider;
import java.net.URI;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Makes IMAP connections: {@code imap://[user[:password]@]host[:port]} (default port 143, option
 * {@code starttls=true} to upgrade with {@code STARTTLS}) and {@code imaps://...} (implicit TLS, default port
 * 993). Each connection offers {@link ImapSession} through {@code unwrap(ImapSession.class)}.
 *
 * <p>Options, besides those of {@link dev.unplug.spi.TlsSettings}: {@value ImapSession#AUTH}
 * ({@code login}, the default, or {@code plain} for {@code AUTHENTICATE PLAIN}). Defaults: connect timeout
 * 10 s, read timeout 30 s, graceful disconnect deadline 2 s; TLS verifies the host name unless
 * {@code tlsVerifyHostname=false}.
 *
 * <p>Thread-safe; construction and {@link #open(URI, Options)} do no I/O.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "imap", schemes = {"imap", "imaps"}, apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ImapProvider extends InternetTransportProvider {

    /** Creates the provider. No I/O. */
    public ImapProvider() {
        super(Map.of("imap", 143, "imaps", 993), true);
    }

    @Override
    protected Connection create(URI uri, Options options, int defaultPort) {
        return new ImapConnection(uri, options, defaultPort);
    }
}
