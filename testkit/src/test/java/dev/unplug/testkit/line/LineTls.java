package dev.unplug.testkit.line;

import dev.unplug.api.Options;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** TLS for {@code lines://}: layered over the raw socket (so a drop can close the raw one) with host name checks. */
final class LineTls {

    private LineTls() {
    }

    static SSLSocket secure(Socket raw, String host, Options options) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        String store = options.get("trustStore").orElse(null);
        if (store == null) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(Path.of(store))) {
                ks.load(in, options.get("trustStorePassword").orElse("").toCharArray());
            }
            tmf.init(ks);
        }
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, raw.getPort(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(p);
        tls.startHandshake();
        return tls;
    }
}
