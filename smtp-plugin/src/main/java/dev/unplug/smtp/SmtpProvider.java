package dev.unplug.smtp;

import com.google.auto.service.AutoService;
import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.api.mail.SmtpSession;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.TlsSettings;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.transport.InternetTransportProvider;
import java.net.URI;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Makes SMTP connections: {@code smtp://[user[:password]@]host[:port]} (default port 25, option
 * {@code starttls=true} to upgrade) and {@code smtps://...} (implicit TLS, default port 465). Each connection
 * offers {@link SmtpSession} through {@code unwrap(SmtpSession.class)}. Defaults: connect timeout 10 s, read
 * timeout 30 s, graceful disconnect deadline 2 s; TLS options in {@link dev.unplug.spi.TlsSettings}.
 *
 * <p>Thread-safe; construction and {@link #open(URI, Options)} do no I/O.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "smtp", schemes = {"smtp", "smtps"}, apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SmtpProvider extends InternetTransportProvider {

    /** Creates the provider. No I/O. */
    public SmtpProvider() {
        super(Map.of("smtp", 25, "smtps", 465), true);
    }

    @Override
    protected Connection create(URI uri, Options options, int defaultPort) {
        return new SmtpConnection(uri, options, defaultPort);
    }
}
