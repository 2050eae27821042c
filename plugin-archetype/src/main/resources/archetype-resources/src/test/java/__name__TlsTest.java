package ${package};

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.spi.TlsSettings;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerTls;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ${scheme}s://} against the testkit's TLS peer and its self-signed certificate: trusted through option
 * {@code tlsTrustStore}, as every Unplug plugin trusts a private CA; refused by the JDK's default trust.
 */
@ExtendWith(UnplugExtension.class)
class ${name}TlsTest {

    private static final LineScript SCRIPT = LineScript.builder("+OK ready")
            .on(LineScript.command("PING"), "+PONG").goodbye(LineScript.command("QUIT"), "+BYE").build();

    @Test
    void theTrustStoreOptionLetsTheConnectionTrustAPrivateCertificate(ConnectionTracker tracker) {
        try (LoopbackPeer peer = LoopbackPeer.builder(SCRIPT).tls().start()) {
            Options trust = Options.builder().set(TlsSettings.TRUST_STORE, PeerTls.trustStore().toString())
                    .set(TlsSettings.TRUST_STORE_PASSWORD, PeerTls.trustStorePassword()).build();
            Connection c = tracker.track(new ${name}Provider().open(URI.create("${scheme}s://127.0.0.1:" + peer.port()),
                    trust));
            c.connect();
            assertThat(c.disconnect(Duration.ofSeconds(2))).isClean();
        }
    }

    @Test
    void withoutTheTrustStoreThePrivateCertificateIsRefused(ConnectionTracker tracker) {
        try (LoopbackPeer peer = LoopbackPeer.builder(SCRIPT).tls().start()) {
            Connection c = tracker.track(new ${name}Provider().open(URI.create("${scheme}s://127.0.0.1:" + peer.port()),
                    Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.SECURE_CONNECT_FAILED);
        }
    }
}
