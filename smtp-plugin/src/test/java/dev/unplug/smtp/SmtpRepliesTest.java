package dev.unplug.smtp;

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.mail.SmtpSession;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SMTP reply codes against scripted loopback peers: what maps to which error, and what stays open. */
@ExtendWith(UnplugExtension.class)
@Timeout(30)
class SmtpRepliesTest {

    private static final Duration GUARD = Duration.ofSeconds(2);
    private final SmtpProvider provider = new SmtpProvider();

    private Connection connect(ConnectionTracker tracker, LoopbackPeer peer, Options options) {
        Connection c = tracker.track(provider.open(peer.uri("smtp"), options));
        c.connect();
        return c;
    }

    @Test
    void aRefusedRecipientIsAnSmtpErrorWithTheReplyCodeAndTheSessionStaysOpen(ConnectionTracker tracker) {
        LineScript script = LineScript.smtp().on("MAIL", "250 2.1.0 OK").on("RCPT", "550 5.1.1 no such user").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = connect(tracker, peer, Options.empty());
            SmtpSession smtp = c.unwrap(SmtpSession.class);
            assertThatUnplugThrownBy(() -> smtp.send("a@example.org", List.of("nobody@example.org"), "Hi\r\n"))
                    .hasKind(ErrorKind.SMTP_ERROR).hasReplyCode(550).hasServerReplyContaining("no such user")
                    .messageContains("RCPT TO");
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(smtp.noop()).startsWith("250");
            assertThat(c.disconnect(GUARD)).isClean().hasLastReplyContaining("221");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"421 4.3.2 too busy, try later", "554 5.7.1 no service for you"})
    void aNegativeGreetingIsAnSmtpErrorWithItsReplyCode(String greeting, ConnectionTracker tracker) {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.builder(greeting).build())) {
            Connection c = tracker.track(provider.open(peer.uri("smtp"), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.SMTP_ERROR)
                    .hasReplyCode(Integer.parseInt(greeting.substring(0, 3)))
                    .hasServerReplyContaining(greeting.substring(10));
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(peer.connection(0).awaitClosed(GUARD)).as("the peer saw the socket close").isTrue();
        }
    }

    @Test
    void aRefusedEhloFallsBackToHelo(ConnectionTracker tracker) {
        LineScript script = LineScript.smtp().on("EHLO", "502 5.5.2 say HELO").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = connect(tracker, peer, Options.empty());
            assertThat(c.unwrap(SmtpSession.class).hello()).startsWith("250");
            assertThat(peer.connection(0).lines()).anyMatch(l -> l.startsWith("HELO "));
            assertThat(c.disconnect(GUARD)).isClean();
        }
    }

    @Test
    void aRefusedStartTlsIsSecureConnectFailedWithTheReply(ConnectionTracker tracker) {
        LineScript script = LineScript.smtp().on("STARTTLS", "454 4.7.0 TLS not available").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = tracker.track(provider.open(peer.uri("smtp"), Options.builder()
                    .set(Options.STARTTLS, true).build()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.SECURE_CONNECT_FAILED).hasReplyCode(454);
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void aRefusedLoginIsAuthenticationFailedWithTheReplyCode(ConnectionTracker tracker) {
        String secret = "N0tShownSmtpPassw0rd";
        LineScript script = LineScript.smtp().on("AUTH", "535 5.7.8 authentication credentials invalid").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = tracker.track(provider.open(peer.uri("smtp", "bob:" + secret), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.AUTHENTICATION_FAILED).hasReplyCode(535)
                    .messageDoesNotContain(secret);
        }
    }
}
