package dev.unplug.websocket;

import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.message.WebSocketSession;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.tck.PeerBehaviour;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input and hostile servers: typed errors with the status, bounded memory, no password shown. */
@ExtendWith(UnplugExtension.class)
class WebSocketBadInputTest {

    private static final String SECRET = "S3cretWsPassw0rd";
    private final WebSocketProvider provider = new WebSocketProvider();

    @Test
    void malformedUrisAndBadCloseSettingsAreRefusedByOpen() {
        refused("ws:///echo", "a host");
        refused("ws://u:" + SECRET + "@h/echo#part", "no fragment");
        refused("ws://h/?closeStatus=1005", "1004-1006 and 1015 are reserved");
        refused("ws://h/?closeStatus=999", "closeStatus must be");
        refused("ws://h/?closeStatus=5000", "closeStatus must be");
        refused("ws://h/?closeStatus=2000", "closeStatus must be");
        refused("ws://h/?closeStatus=soon", "closeStatus is a number");
        refused("ws://h/?closeReason=" + "x".repeat(124), "at most 123 bytes");
        refused("ws://h/?subprotocol=a%20b", "HTTP tokens");
        refused("http://h/", "serves ws:// and wss://");
        assertThat(provider.open(URI.create("wss://h/p?closeStatus=4000&closeReason=bye&room=7"), Options.empty())
                .state()).isEqualTo(ConnectionState.NOT_INITIALISED);
    }

    private void refused(String uri, String message) {
        assertThatUnplugThrownBy(() -> provider.open(URI.create(uri), Options.empty()))
                .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains(message).messageDoesNotContain(SECRET);
    }

    @Test
    void aRefusedHandshakeIsTypedWithTheHttpStatusAndNoPassword(ConnectionTracker tracker) {
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL, FakeWsServer.Trouble.REFUSE_403, 1000)) {
            Connection c = tracker.track(provider.open(URI.create("ws://app:" + SECRET + "@127.0.0.1:"
                    + server.port() + "/echo"), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.ACCESS_DENIED).hasReplyCode(403)
                    .messageContains("HTTP 403").messageDoesNotContain(SECRET);
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void aSubprotocolTheServerDidNotAgreeToIsNotSupported(ConnectionTracker tracker) {
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL, FakeWsServer.Trouble.NO_SUBPROTOCOL,
                1000)) {
            Connection c = tracker.track(provider.open(URI.create("ws://127.0.0.1:" + server.port()
                    + "/echo?subprotocol=chat.v2"), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.NOT_SUPPORTED).messageContains("chat.v2");
        }
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL)) {
            Connection c = tracker.track(provider.open(URI.create("ws://127.0.0.1:" + server.port()
                    + "/echo?subprotocol=chat.v2"), Options.empty()));
            c.connect();
            assertThat(c.unwrap(WebSocketSession.class).subprotocol()).isEqualTo("chat.v2");
            c.disconnect();
        }
    }

    @Test
    void aCloseAnsweredWithAnotherStatusIsRefusedWithThatStatus(ConnectionTracker tracker) {
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL, FakeWsServer.Trouble.NONE, 1011)) {
            Connection c = tracker.track(provider.open(server.uri(), Options.empty()));
            c.connect();
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.REFUSED);
            assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("1011").contains("server says no"));
        }
    }

    @Test
    void aCloseTheServerSentFirstEndsAWaitingReceiveAndTheDisconnectAnswersIt(ConnectionTracker tracker) {
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL, FakeWsServer.Trouble.CLOSES_FIRST, 1000)) {
            Connection c = tracker.track(provider.open(server.uri(), Options.empty()));
            c.connect();
            WebSocketSession s = c.unwrap(WebSocketSession.class);
            assertThatUnplugThrownBy(() -> s.receive(Duration.ofSeconds(5))).messageContains("1001")
                    .messageContains("going away");
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL, FakeWsServer.Trouble.CLOSES_FIRST, 1000)) {
            Connection c = tracker.track(provider.open(server.uri(), Options.empty()));
            c.connect();
            assertThat(server.awaitMessages(1, Duration.ofSeconds(5))).isTrue();
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.REFUSED);
            assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("1001"));
        }
    }

    @Test
    void garbageFramesAndAnOversizedMessageAreTypedErrorsWithBoundedMemory(ConnectionTracker tracker) {
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL, FakeWsServer.Trouble.GARBAGE_FRAME, 1000)) {
            Connection c = tracker.track(provider.open(server.uri(), Options.empty()));
            c.connect();
            assertThatUnplugThrownBy(() -> c.unwrap(WebSocketSession.class).receive(Duration.ofSeconds(5)))
                    .hasKind(ErrorKind.SOCKET_ERROR);
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL, FakeWsServer.Trouble.OVERSIZED_MESSAGE,
                1000)) {
            Connection c = tracker.track(provider.open(server.uri(), Options.builder()
                    .set(Options.MAX_REPLY_SIZE, "1m").build()));
            c.connect();
            assertThatUnplugThrownBy(() -> c.unwrap(WebSocketSession.class).receive(Duration.ofSeconds(5)))
                    .hasKind(ErrorKind.MALFORMED_REPLY).messageContains("maxReplySize");
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void badArgumentsToTheSessionAreTypedAndADropWakesAWaitingReceive(ConnectionTracker tracker) throws Exception {
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL)) {
            Connection c = tracker.track(provider.open(server.uri(), Options.empty()));
            c.connect();
            WebSocketSession s = c.unwrap(WebSocketSession.class);
            assertThatUnplugThrownBy(() -> s.sendText(null)).hasKind(ErrorKind.NULL_ARGUMENT);
            assertThatUnplugThrownBy(() -> s.receive(Duration.ofMillis(-1))).hasKind(ErrorKind.INVALID_ARGUMENT);
            s.sendBinary(new byte[] {1, 2, 3});
            assertThat(s.receive(Duration.ofSeconds(5))).hasValueSatisfying(m -> assertThat(m.binary()).isTrue());
            Thread waiting = new Thread(() -> {
                try {
                    s.receive(Duration.ofSeconds(30));
                } catch (RuntimeException expected) {
                    // what the drop raises
                }
            });
            waiting.start();
            long until = System.nanoTime() + 5_000_000_000L;
            while (c.state() != ConnectionState.BUSY && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertThat(c.drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
            waiting.join(2_000);
            assertThat(waiting.isAlive()).as("the receive is still waiting after the drop").isFalse();
            assertThatUnplugThrownBy(() -> s.receive(Duration.ofSeconds(1))).hasKind(ErrorKind.CONNECTION_DROPPED);
        }
    }
}
