package dev.unplug.nntp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.NntpSession;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** NNTP against scripted loopback peers that answer wrongly, slowly or not at all (beyond the TCK's cases). */
class NntpHostilePeerTest {

    private static final Duration GUARD = Duration.ofSeconds(5);

    private static Connection open(LoopbackPeer peer) {
        return NntpEmbeddedServerTest.provider().open(peer.uri("nntp"), Options.empty());
    }

    private static Connection connected(LoopbackPeer peer) {
        Connection c = open(peer);
        c.connect();
        return c;
    }

    @Test
    void quitAnsweredWithAnErrorIsRefusedWithTheReplyAndReleasesTheSocket() {
        LineScript script = LineScript.nntp().goodbye("QUIT", "500 what is QUIT?").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = connected(peer);
            DisconnectOutcome outcome = c.disconnect(GUARD);
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.REFUSED);
            assertThat(outcome.lastReply()).contains("500 what is QUIT?");
            assertThat(outcome.cause()).hasValueSatisfying(e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.NNTP_ERROR);
                assertThat(e.replyCode()).hasValue(500);
            });
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(peer.connection(0).awaitClosed(GUARD)).isTrue();
        }
    }

    @Test
    void quitAnsweredWithAnotherPositiveCodeThan205IsNotClean() {
        LineScript script = LineScript.nntp().goodbye("QUIT", "200 sure").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            DisconnectOutcome outcome = connected(peer).disconnect(GUARD);
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.REFUSED);
            assertThat(outcome.lastReply()).contains("200 sure");
        }
    }

    @Test
    void garbageInAnswerToQuitEscalatesAsMalformedReply() {
        LineScript script = LineScript.nntp().goodbye("QUIT", "xyzzy, not nntp").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = connected(peer);
            DisconnectOutcome outcome = c.disconnect(GUARD);
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
            assertThat(outcome.cause()).hasValueSatisfying(e -> assertThat(e.kind())
                    .isEqualTo(ErrorKind.MALFORMED_REPLY));
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void aPeerThatAnswersOnlyGarbageFailsTheConnectAsMalformedReply() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.nntp().build()).greetWithGarbage().start()) {
            Connection c = open(peer);
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_REPLY));
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void aSlowPeerWithinTheDeadlineStillEndsClean() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.nntp().build())
                .goodbyeDelay(Duration.ofMillis(300)).start()) {
            DisconnectOutcome outcome = connected(peer).disconnect(Duration.ofSeconds(3));
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void aSlowPeerPastTheDeadlineEscalatesWithinIt() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.nntp().build())
                .goodbyeDelay(Duration.ofSeconds(3)).start()) {
            DisconnectOutcome outcome = connected(peer).disconnect(Duration.ofMillis(300));
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
            assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(2));
            assertThat(outcome.cause()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
        }
    }

    @Test
    void modeReaderIsSentRightAfterTheGreeting() {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.nntp().build())) {
            connected(peer).drop();
            assertThat(peer.connection(0).lines()).containsExactly("MODE READER");
        }
    }

    @Test
    void aServerThatKnowsNoModeCommandIsStillUsable() {
        LineScript script = LineScript.nntp().on("MODE", "500 unknown command").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = connected(peer);
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(c.disconnect(GUARD).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
    }

    @Test
    void modeReaderRefusedIsAnNntpErrorWithTheReply() {
        LineScript script = LineScript.nntp().on("MODE", "502 no reading for you").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            assertThatThrownBy(open(peer)::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.NNTP_ERROR);
                assertThat(e.replyCode()).hasValue(502);
                assertThat(e.getMessage()).contains("MODE READER");
            });
        }
    }

    @Test
    void aServiceDiscontinuedGreetingIsAnNntpErrorWith400() {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.builder("400 too busy, come back later").build())) {
            assertThatThrownBy(open(peer)::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.NNTP_ERROR);
                assertThat(e.replyCode()).hasValue(400);
                assertThat(e.serverReply()).contains("400 too busy, come back later");
            });
        }
    }

    @Test
    void aRefusingGreetingIsAnNntpError() {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.builder("502 you may not connect").build())) {
            assertThatThrownBy(open(peer)::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.NNTP_ERROR);
                assertThat(e.replyCode()).hasValue(502);
            });
        }
    }

    @Test
    void authinfoRejectedOutOfSequenceIsAuthenticationFailed() {
        LineScript script = LineScript.nntp()
                .on(l -> l.startsWith("AUTHINFO USER"), "482 authentication commands issued out of sequence")
                .build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = NntpEmbeddedServerTest.provider().open(peer.uri("nntp", "bob:Pw0rdX"), Options.empty());
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION_FAILED);
                assertThat(e.replyCode()).hasValue(482);
            });
            assertThat(peer.receivedLines()).noneMatch(l -> l.startsWith("AUTHINFO PASS"));
        }
    }

    @Test
    void nntpsRefusesACertificateTheJdkDoesNotTrust() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.nntp().build()).tls().start()) {
            Connection c = NntpEmbeddedServerTest.provider().open(peer.uri("nntps"), Options.empty());
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED));
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(peer.receivedLines()).isEmpty();
        }
    }

    private static final Options SMALL_BUDGET = Options.builder().set(Options.MAX_REPLY_SIZE, "64k").build();

    @Test
    void aGreetingThatNeverEndsFailsTheConnectPastTheReplyBudget() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.nntp().build()).endlessGreeting("", "200 x")
                .start()) {
            Connection c = NntpEmbeddedServerTest.provider().open(peer.uri("nntp"), SMALL_BUDGET);
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_REPLY);
                assertThat(e.getMessage()).contains(Options.MAX_REPLY_SIZE);
            });
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(peer.connection(0).awaitClosed(GUARD)).isTrue();
        }
    }

    @Test
    void aListThatNeverEndsFailsTheCommandAndEndsTheConnection() {
        for (String repeat : new String[] {"local.test 1 1 y\r\n", "local.test"}) {
            try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.nntp().build())
                    .endlessReplyTo(LineScript.command("LIST"), "215 list follows", repeat).start()) {
                Connection c = NntpEmbeddedServerTest.provider().open(peer.uri("nntp"), SMALL_BUDGET);
                c.connect();
                assertThatThrownBy(() -> c.unwrap(NntpSession.class).listGroups())
                        .isInstanceOfSatisfying(UnplugException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_REPLY);
                            assertThat(e.getMessage()).contains(Options.MAX_REPLY_SIZE);
                        });
                assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
                assertThat(c.outcome()).hasValueSatisfying(o -> assertThat(o.kind())
                        .isEqualTo(DisconnectOutcome.Kind.FAILED));
                assertThat(peer.connection(0).awaitClosed(GUARD)).isTrue();
            }
        }
    }
}
