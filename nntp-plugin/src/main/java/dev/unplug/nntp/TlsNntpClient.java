package dev.unplug.nntp;

import dev.unplug.spi.TlsSettings;
import java.io.IOException;
import org.apache.commons.net.nntp.NNTPClient;

/**
 * The Commons Net NNTP client, with implicit TLS layered over its plain socket before the greeting is read
 * (Commons Net has no NNTPS client of its own). The plain socket stays the one the shared base closes on a drop.
 * Not thread-safe, as Commons Net clients are not; the connection serialises its use.
 */
final class TlsNntpClient extends NNTPClient {

    private final TlsSettings tls;
    private final String host;

    /**
     * @param tls the TLS settings, or null for plain NNTP
     * @param host the host name of the URI, for SNI and the host name check
     */
    TlsNntpClient(TlsSettings tls, String host) {
        this.tls = tls;
        this.host = host;
    }

    @Override
    protected void _connectAction_() throws IOException {
        if (tls != null) {
            // the handshake is bounded by the read timeout the base set as the default timeout
            _socket_.setSoTimeout(getDefaultTimeout());
            _socket_ = tls.layer(_socket_, host, _socket_.getPort());
        }
        super._connectAction_();
    }
}
