package dev.unplug.testkit.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class PeerTlsTest {

    /** A TLS client over a raw socket to the peer, checking the given host name as HTTPS does. */
    private static SSLSocket connect(SSLContext ctx, LoopbackPeer peer, String hostName) throws Exception {
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress("127.0.0.1", peer.port()), 2_000);
        raw.setSoTimeout(2_000);
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, hostName, peer.port(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(p);
        tls.startHandshake();
        return tls;
    }

    private static SSLContext fromTrustStoreFile() throws Exception {
        KeyStore ks = KeyStore.getInstance(PeerTls.trustStoreType());
        try (InputStream in = Files.newInputStream(PeerTls.trustStore())) {
            ks.load(in, PeerTls.trustStorePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void certificateNamesTheLoopbackAddressAndLocalhost() throws Exception {
        X509Certificate cert = PeerTls.certificate();
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=127.0.0.1");
        List<String> names = cert.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList();
        assertThat(names).contains("127.0.0.1", "localhost");
    }

    @Test
    void aClientTrustingTheStoreFileVerifiesBothHostNames() throws Exception {
        SSLContext ctx = fromTrustStoreFile();
        try (LoopbackPeer peer = LoopbackPeer.builder(LoopbackPeerTest.SCRIPT).tls().start()) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                try (SSLSocket s = connect(ctx, peer, host); PeerClient c = new PeerClient(s)) {
                    assertThat(c.read()).isEqualTo("+HELLO peer test");
                    assertThat(c.send("PING")).isEqualTo("+PONG");
                }
            }
            assertThat(peer.isTls()).isTrue();
        }
    }

    @Test
    void aWrongHostNameFailsVerification() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LoopbackPeerTest.SCRIPT).tls().start()) {
            assertThatThrownBy(() -> connect(PeerTls.clientContext(), peer, "wrong.example").close())
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aClientWithTheDefaultTrustStoreRejectsTheSelfSignedCertificate() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LoopbackPeerTest.SCRIPT).tls().start()) {
            assertThatThrownBy(() -> connect(SSLContext.getDefault(), peer, "localhost").close())
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void startTlsUpgradesTheSessionAfterItsReply() throws Exception {
        LineScript script = LineScript.builder("+HELLO")
                .on("PING", "+PONG")
                .startTls(LineScript.command("STARTTLS"), "+OK begin TLS")
                .build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script); Socket raw = new Socket("127.0.0.1", peer.port());
                PeerClient plain = new PeerClient(raw)) {
            assertThat(plain.read()).isEqualTo("+HELLO");
            assertThat(plain.send("STARTTLS")).isEqualTo("+OK begin TLS");
            SSLSocket tls = (SSLSocket) PeerTls.clientContext().getSocketFactory().createSocket(raw, "localhost",
                    peer.port(), true);
            SSLParameters p = tls.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(p);
            tls.startHandshake();
            try (PeerClient secured = new PeerClient(tls)) {
                assertThat(secured.send("PING")).isEqualTo("+PONG");
            }
            assertThat(peer.receivedLines()).containsExactly("STARTTLS", "PING");
        }
    }
}
