package dev.unplug.pop3;

import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** POP3 replies against scripted loopback peers: what maps to which error. */
@ExtendWith(UnplugExtension.class)
@Timeout(30)
class Pop3RepliesTest {

    private final Pop3Provider provider = new Pop3Provider();

    @Test
    void anErrGreetingIsAPop3Error(ConnectionTracker tracker) {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.builder("-ERR server closing").build())) {
            Connection c = tracker.track(provider.open(peer.uri("pop3"), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.POP3_ERROR).hasServerReplyContaining("-ERR");
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void aRefusedPasswordIsAuthenticationFailedWithoutThePassword(ConnectionTracker tracker) {
        String secret = "N0tShownPop3Passw0rd";
        LineScript script = LineScript.pop3().on("PASS", "-ERR [AUTH] invalid user or password").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = tracker.track(provider.open(peer.uri("pop3", "bob:" + secret), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.AUTHENTICATION_FAILED)
                    .hasServerReplyContaining("invalid user").messageDoesNotContain(secret);
            assertThat(peer.receivedLines()).anyMatch(l -> l.equals("USER bob"));
        }
    }

    @Test
    void aRefusedStlsIsSecureConnectFailed(ConnectionTracker tracker) {
        LineScript script = LineScript.pop3().on("STLS", "-ERR not available").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = tracker.track(provider.open(peer.uri("pop3"), Options.builder()
                    .set(Options.STARTTLS, true).build()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.SECURE_CONNECT_FAILED)
                    .hasServerReplyContaining("not available");
        }
    }

    @Test
    void workOnAnEndedConnectionIsNotConnected(ConnectionTracker tracker) {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.pop3().build())) {
            Connection c = tracker.track(provider.open(peer.uri("pop3", "bob:pw"), Options.empty()));
            c.connect();
            c.disconnect();
            Pop3Session pop3 = c.unwrap(Pop3Session.class);
            assertThatUnplugThrownBy(pop3::stat).hasKind(ErrorKind.NOT_CONNECTED);
            assertThatUnplugThrownBy(() -> pop3.retrieve(1)).hasKind(ErrorKind.NOT_CONNECTED);
        }
    }
}
