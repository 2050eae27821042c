package dev.unplug.nntp;

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.mail.NntpSession;
import dev.unplug.spi.TlsSettings;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerTls;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** NNTP STARTTLS (RFC 4642) against the testkit's TLS peer: upgrade, host name check, refusal. */
@ExtendWith(UnplugExtension.class)
class NntpStartTlsTest {

    private static final LineScript WITH_STARTTLS = LineScript.nntp().on("GROUP", "211 2 1 2 local.test")
            .startTls(LineScript.command("STARTTLS"), "382 Continue with TLS negotiation").build();

    private static Options tls(boolean verifyHostname) {
        return Options.builder().set(Options.STARTTLS, true)
                .set(TlsSettings.TRUST_STORE, PeerTls.trustStore().toString())
                .set(TlsSettings.TRUST_STORE_PASSWORD, PeerTls.trustStorePassword())
                .set(TlsSettings.VERIFY_HOSTNAME, verifyHostname).build();
    }

    @Test
    void startTlsUpgradesTheSessionAndEverythingAfterItGoesOverTls(ConnectionTracker tracker) {
        try (LoopbackPeer peer = LoopbackPeer.scripted(WITH_STARTTLS)) {
            Connection c = tracker.track(new NntpProvider().open(URI.create("nntp://127.0.0.1:" + peer.port()),
                    tls(true)));
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            c.addListener(new ConnectionListener() {
                @Override
                public void stateChanged(Connection connection, ConnectionState from, ConnectionState to) {
                    states.add(to);
                }
            });
            c.connect();
            assertThat(states).contains(ConnectionState.SECURING);
            assertThat(c.unwrap(NntpSession.class).group("local.test").count()).isEqualTo(2);
            assertThat(c.disconnect(Duration.ofSeconds(2))).isClean();
            List<String> lines = peer.connection(0).lines();
            assertThat(lines).as("what the peer read, in order").containsSubsequence("MODE READER", "STARTTLS",
                    "GROUP local.test", "QUIT");
            assertThat(peer.goodbyeCount()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedStartTlsFailsTheConnectWithTheServersReply(ConnectionTracker tracker) {
        LineScript refusing = LineScript.nntp().on("STARTTLS", "580 Can not initiate TLS negotiation").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(refusing)) {
            Connection c = tracker.track(new NntpProvider().open(URI.create("nntp://127.0.0.1:" + peer.port()),
                    tls(true)));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.SECURE_CONNECT_FAILED)
                    .messageContains("580 Can not initiate TLS negotiation");
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void aCertificateTheTrustStoreDoesNotHoldFailsTheHandshakeAndEndsTheConnection(ConnectionTracker tracker) {
        try (LoopbackPeer peer = LoopbackPeer.scripted(WITH_STARTTLS)) {
            Connection c = tracker.track(new NntpProvider().open(URI.create("nntp://127.0.0.1:" + peer.port()),
                    Options.builder().set(Options.STARTTLS, true).build()));
            assertThatUnplugThrownBy(c::connect).as("the JDK's trust does not know the peer's self-signed"
                    + " certificate").hasKind(ErrorKind.SECURE_CONNECT_FAILED);
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }
}
