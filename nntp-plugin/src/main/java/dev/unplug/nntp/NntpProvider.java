package dev.unplug.nntp;

import com.google.auto.service.AutoService;
import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.api.mail.NntpSession;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.TlsSettings;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.transport.InternetTransportProvider;
import java.net.URI;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Makes NNTP connections: {@code nntp://[user[:password]@]host[:port]} (default port 119) and
 * {@code nntps://...} (implicit TLS, default port 563). After the greeting every connection sends
 * {@code MODE READER} (INN serves a local client in transit mode until it does), then {@code AUTHINFO USER/PASS}
 * when credentials are given. Each connection offers {@link NntpSession} through {@code unwrap(NntpSession.class)}.
 * With option {@code starttls=true} the session is upgraded with {@code STARTTLS} (RFC 4642) after
 * {@code MODE READER} and before the login; a refusal is {@code SECURE_CONNECT_FAILED} with the server's reply.
 *
 * <p>Defaults: connect timeout 10 s, read timeout 30 s, graceful disconnect deadline 2 s; TLS verifies the host
 * name unless {@code tlsVerifyHostname=false} (see {@link dev.unplug.spi.TlsSettings}).
 *
 * <p>Thread-safe; construction and {@link #open(URI, Options)} do no I/O.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "nntp", schemes = {"nntp", "nntps"}, apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class NntpProvider extends InternetTransportProvider {

    /** Creates the provider. No I/O. */
    public NntpProvider() {
        super(Map.of("nntp", 119, "nntps", 563), true);
    }

    @Override
    protected Connection create(URI uri, Options options, int defaultPort) {
        return new NntpConnection(uri, options, defaultPort);
    }
}
