package dev.unplug.pop3;

import com.google.auto.service.AutoService;
import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.TlsSettings;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.transport.InternetTransportProvider;
import java.net.URI;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Makes POP3 connections: {@code pop3://user[:password]@host[:port]} (default port 110, option
 * {@code starttls=true} to upgrade with STLS) and {@code pop3s://...} (implicit TLS, default port 995). Each
 * connection offers {@link Pop3Session} through {@code unwrap(Pop3Session.class)}. Defaults: connect timeout
 * 10 s, read timeout 30 s, graceful disconnect deadline 2 s; TLS options in
 * {@link dev.unplug.spi.TlsSettings}.
 *
 * <p>Thread-safe; construction and {@link #open(URI, Options)} do no I/O.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "pop3", schemes = {"pop3", "pop3s"}, apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Pop3Provider extends InternetTransportProvider {

    /** Creates the provider. No I/O. */
    public Pop3Provider() {
        super(Map.of("pop3", 110, "pop3s", 995), true);
    }

    @Override
    protected Connection create(URI uri, Options options, int defaultPort) {
        return new Pop3Connection(uri, options, defaultPort);
    }
}
