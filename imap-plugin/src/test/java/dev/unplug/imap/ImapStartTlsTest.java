package dev.unplug.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerTls;
import dev.unplug.spi.TlsSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code STARTTLS} on {@code imap://} (GreenMail has none, so scripted peers that switch to TLS play the server). */
class ImapStartTlsTest {

    private static final LineScript STARTTLS = LineScript.imap()
            .startTls(LineScript.tagged("STARTTLS"), "{tag} OK begin TLS negotiation now").build();

    private static Options startTls(boolean trusted) {
        Options.Builder b = Options.builder().set(Options.STARTTLS, true);
        if (trusted) {
            b.set(TlsSettings.TRUST_STORE, PeerTls.trustStore().toString())
                    .set(TlsSettings.TRUST_STORE_PASSWORD, PeerTls.trustStorePassword());
        }
        return b.build();
    }

    private static Connection open(LoopbackPeer peer, Options options) {
        return ImapGreenMailTest.provider().open(peer.uri("imap", "alice:s3cret"), options);
    }

    @Test
    void starttlsUpgradesBeforeTheLoginAndTheSessionEndsClean() {
        try (LoopbackPeer peer = LoopbackPeer.scripted(STARTTLS)) {
            Connection c = open(peer, startTls(true));
            c.connect();
            assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
            assertThat(peer.connection(0).lines()).containsExactly("AAAA STARTTLS",
                    "AAAB LOGIN \"alice\" \"s3cret\"");
            DisconnectOutcome outcome = c.disconnect(Duration.ofSeconds(5));
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
    }

    @Test
    void starttlsRefusedByTheServerFailsTheConnectAndNeverSendsThePassword() {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.imap().build())) {
            Connection c = open(peer, startTls(true));
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED);
                assertThat(e.serverReply()).hasValueSatisfying(r -> assertThat(r).contains("BAD"));
            });
            assertThat(peer.receivedLines()).containsExactly("AAAA STARTTLS");
        }
    }

    @Test
    void starttlsToAnUntrustedCertificateFailsAndNeverSendsThePassword() {
        try (LoopbackPeer peer = LoopbackPeer.scripted(STARTTLS)) {
            Connection c = open(peer, startTls(false));
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED));
            assertThat(peer.receivedLines()).noneMatch(l -> l.contains("s3cret"));
        }
    }

    @Test
    void starttlsOnAnImplicitTlsSchemeIsRejectedWithoutIo() {
        assertThatThrownBy(() -> ImapGreenMailTest.provider().open(java.net.URI.create("imaps://127.0.0.1:1"),
                startTls(true))).isInstanceOfSatisfying(UnplugException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }
}
