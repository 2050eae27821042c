package dev.unplug.nntp;

import dev.unplug.spi.TlsSettings;
import java.io.IOException;
import org.apache.commons.net.nntp.NNTPClient;

/**
 * The Commons Net NNTP client, with implicit TLS layered over its plain socket before the greeting is read, and
 * STARTTLS (RFC 4642) in the session (Commons Net has neither for NNTP). The plain socket stays the one the shared
 * base closes on a drop. Not thread-safe, as Commons Net clients are not; the connection serialises its use.
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

    /**
     * Sends {@code STARTTLS} and, on its {@code 382} go-ahead, does the TLS handshake over the session's socket and
     * talks through it from then on (RFC 4642: what was learnt before the handshake is forgotten).
     *
     * @param settings the TLS settings
     * @return the reply code: 382 when the session is now under TLS, the server's refusal otherwise
     */
    int startTls(TlsSettings settings) throws IOException {
        int code = sendCommand("STARTTLS");
        if (code != STARTTLS_GO_AHEAD) {
            return code;
        }
        _socket_ = settings.layer(_socket_, host, _socket_.getPort());
        _input_ = _socket_.getInputStream();
        _output_ = _socket_.getOutputStream();
        _reader_ = new org.apache.commons.net.io.CRLFLineReader(new java.io.InputStreamReader(_input_,
                getCharset()));
        _writer_ = new java.io.BufferedWriter(new java.io.OutputStreamWriter(_output_, getCharset()));
        return code;
    }

    /** RFC 4642's "continue with TLS negotiation". */
    static final int STARTTLS_GO_AHEAD = 382;

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
