package dev.unplug.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.ImapSession;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** IMAP against scripted loopback peers that answer wrongly, slowly or not at all (beyond the TCK's cases). */
class ImapHostilePeerTest {

    private static final Duration GUARD = Duration.ofSeconds(5);

    private static Connection connected(LoopbackPeer peer, Options options) {
        Connection c = ImapGreenMailTest.provider().open(peer.uri("imap", "alice:s3cret"), options);
        c.connect();
        return c;
    }

    @Test
    void logoutAnsweredWithTaggedNoIsRefusedWithTheReplyAndReleasesTheSocket() {
        LineScript script = LineScript.imap().goodbye(LineScript.tagged("LOGOUT"), "{tag} NO not now").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = connected(peer, Options.empty());
            DisconnectOutcome outcome = c.disconnect(GUARD);
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.REFUSED);
            assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).endsWith("NO not now"));
            assertThat(outcome.cause()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.IMAP_NO));
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(peer.connection(0).awaitClosed(GUARD)).isTrue();
        }
    }

    @Test
    void logoutAnsweredWithTaggedBadIsRefusedAsImapBad() {
        LineScript script = LineScript.imap().goodbye(LineScript.tagged("LOGOUT"), "{tag} BAD what?").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            DisconnectOutcome outcome = connected(peer, Options.empty()).disconnect(GUARD);
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.REFUSED);
            assertThat(outcome.cause()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.IMAP_BAD));
        }
    }

    @Test
    void logoutWithATaggedOkButNoByeIsNotAcceptedAsClean() {
        LineScript script = LineScript.imap().goodbye(LineScript.tagged("LOGOUT"), "{tag} OK bye-less").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            DisconnectOutcome outcome = connected(peer, Options.empty()).disconnect(GUARD);
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.REFUSED);
            assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).endsWith("OK bye-less"));
            assertThat(outcome.cause()).hasValueSatisfying(e -> assertThat(e.kind())
                    .isEqualTo(ErrorKind.MALFORMED_REPLY));
        }
    }

    @Test
    void garbageInAnswerToLogoutEscalatesAsMalformedReply() {
        LineScript script = LineScript.imap().goodbye(LineScript.tagged("LOGOUT"), "\u0001\u0002 not imap at all")
                .build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = connected(peer, Options.empty());
            DisconnectOutcome outcome = c.disconnect(GUARD);
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
            assertThat(outcome.cause()).hasValueSatisfying(e -> assertThat(e.kind())
                    .isEqualTo(ErrorKind.MALFORMED_REPLY));
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void aPeerThatAnswersOnlyGarbageFailsTheConnectAsMalformedReply() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.imap().build()).greetWithGarbage().start()) {
            Connection c = ImapGreenMailTest.provider().open(peer.uri("imap", "alice:s3cret"), Options.empty());
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_REPLY));
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void aSlowPeerWithinTheDeadlineStillEndsClean() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.imap().build())
                .goodbyeDelay(Duration.ofMillis(300)).start()) {
            DisconnectOutcome outcome = connected(peer, Options.empty()).disconnect(Duration.ofSeconds(3));
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void aSlowPeerPastTheDeadlineEscalatesWithinIt() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.imap().build())
                .goodbyeDelay(Duration.ofSeconds(3)).start()) {
            Connection c = connected(peer, Options.empty());
            DisconnectOutcome outcome = c.disconnect(Duration.ofMillis(300));
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
            assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(2));
            assertThat(outcome.cause()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
        }
    }

    @Test
    void anUnsolicitedByeEndsTheConnectionAsImapBye() {
        // the peer answers SEARCH with BYE and closes the connection, as RFC 3501 servers do
        LineScript script = LineScript.imap()
                .goodbye(LineScript.tagged("SEARCH"), "* BYE server shutting down").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = connected(peer, Options.builder().set(Options.READ_TIMEOUT, "3s").build());
            assertThatThrownBy(() -> c.unwrap(ImapSession.class).search("ALL"))
                    .isInstanceOfSatisfying(UnplugException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.IMAP_BYE);
                        assertThat(e.serverReply()).contains("* BYE server shutting down");
                    });
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(c.outcome()).hasValueSatisfying(o -> assertThat(o.kind())
                    .isEqualTo(DisconnectOutcome.Kind.FAILED));
        }
    }

    @Test
    void aByeGreetingIsImapBye() {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.builder("* BYE too busy").build())) {
            Connection c = ImapGreenMailTest.provider().open(peer.uri("imap"), Options.empty());
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.IMAP_BYE));
        }
    }

    @Test
    void authenticatePlainSendsTheCredentialsInOneBase64Line() {
        LineScript script = LineScript.imap()
                .on(LineScript.tagged("AUTHENTICATE"), "+")
                .on(line -> !line.contains(" "), "AAAA OK AUTHENTICATE completed").build();
        try (LoopbackPeer peer = LoopbackPeer.scripted(script)) {
            Connection c = connected(peer, Options.builder().set(ImapSession.AUTH, "plain").build());
            assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
            String expected = Base64.getEncoder().encodeToString("\0alice\0s3cret".getBytes(StandardCharsets.UTF_8));
            assertThat(peer.connection(0).lines()).contains("AAAA AUTHENTICATE PLAIN", expected);
            assertThat(peer.receivedLines()).noneMatch(l -> l.contains("LOGIN"));
        }
    }

    @Test
    void loginQuotesTheCredentials() {
        try (LoopbackPeer peer = LoopbackPeer.scripted(LineScript.imap().build())) {
            Connection c = ImapGreenMailTest.provider().open(peer.uri("imap"), Options.builder()
                    .set(Options.USER, "alice smith").set(Options.PASSWORD, "pa\"ss word").build());
            c.connect();
            assertThat(peer.connection(0).lines()).contains("AAAA LOGIN \"alice smith\" \"pa\\\"ss word\"");
        }
    }

    private static final Options SMALL_BUDGET = Options.builder().set(Options.MAX_REPLY_SIZE, "64k").build();

    @Test
    void aGreetingThatNeverEndsFailsTheConnectPastTheReplyBudget() {
        try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.imap().build()).endlessGreeting("", "* OK x")
                .start()) {
            Connection c = ImapGreenMailTest.provider().open(peer.uri("imap", "alice:s3cret"), SMALL_BUDGET);
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_REPLY);
                assertThat(e.getMessage()).contains(Options.MAX_REPLY_SIZE);
            });
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(peer.connection(0).awaitClosed(GUARD)).isTrue();
        }
    }

    @Test
    void untaggedLinesThatNeverEndFailTheCommandAndEndTheConnection() {
        for (String repeat : new String[] {"* 1 EXISTS\r\n", "* SEARCH 1 2 3"}) {
            try (LoopbackPeer peer = LoopbackPeer.builder(LineScript.imap().build())
                    .endlessReplyTo(LineScript.tagged("SEARCH"), "", repeat).start()) {
                Connection c = connected(peer, SMALL_BUDGET);
                assertThatThrownBy(() -> c.unwrap(ImapSession.class).search("ALL"))
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
