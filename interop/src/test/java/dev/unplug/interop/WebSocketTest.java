package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.WebSocketListeners;
import dev.unplug.api.message.WebSocketSession;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The websocket plugin against websocketd ({@code --loglevel=debug}), each ending proven by the server's own log,
 * where every line names the session's URL (each test's carries a unique query): a graceful disconnect is "close
 * 1000 (normal)", a drop "close 1006 (abnormal closure)"; and a session the server ends (its program exits) is seen
 * by the plugin.
 */
class WebSocketTest extends InteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @BeforeEach
    void serverRuns() {
        Server.WEBSOCKET.require();
    }

    @Test
    void gracefulDisconnectIsTheCloseHandshakeTheServerLogsAsNormal() {
        String id = id();
        ServerLog log = ServerLog.mark(ServerPaths.get("WEBSOCKETD_LOG"));
        Connection c = host.open("ws://127.0.0.1:10080/echo?session=" + id, Options.empty());
        c.connect();
        WebSocketSession s = c.unwrap(WebSocketSession.class);
        s.sendText("hello " + id);
        assertThat(s.receive(WAIT)).hasValueSatisfying(m -> assertThat(m.text()).isEqualTo("hello " + id));
        DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
        assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("close 1000 sent")
                .contains("answered close 1000"));
        log.await("websocketd receiving the close 1000 of session " + id, id + ".*close 1000 \\(normal\\)", WAIT);
        assertThat(log.lines()).noneMatch(l -> l.contains(id) && l.contains("1006"));
    }

    @Test
    void dropSendsNothingAndTheServerLogsAnAbnormalClosure() {
        String id = id();
        ServerLog log = ServerLog.mark(ServerPaths.get("WEBSOCKETD_LOG"));
        Connection c = host.open("ws://127.0.0.1:10080/echo?session=" + id, Options.empty());
        c.connect();
        assertThat(c.drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        log.await("websocketd seeing session " + id + " end without a close", id
                + ".*close 1006 \\(abnormal closure\\)", WAIT);
        assertThat(log.lines()).noneMatch(l -> l.contains(id) && l.contains("close 1000"));
    }

    /**
     * websocketd ends a session whose program exits by closing the TCP connection, without a close frame. The JDK's
     * client reports that end (as 1006) for most sessions, but for some it never does: its socket sits in
     * CLOSE-WAIT and no listener call comes (measured: 7-10 of 40 sessions on JDK 17.0.15, 3 of 40 on JDK 25; a
     * ping does not wake it), and for a few it fails with an {@code InternalError} before delivering the message.
     * So each of 8 sessions must be seen ended by the plugin one way or the other: a receive raises the server's
     * end (or the JDK's failure), or, where the JDK kept silent, the next disconnect is ESCALATED (never a false
     * CLEAN); and the plugin must have seen at least one end on the receive path.
     */
    @Test
    void aSessionTheServerEndsIsSeenByThePlugin() {
        int seenByReceive = 0;
        int byes = 0;
        for (int i = 0; i < 8; i++) {
            String id = id();
            ServerLog log = ServerLog.mark(ServerPaths.get("WEBSOCKETD_LOG"));
            Connection c = host.open("ws://127.0.0.1:10080/bye?session=" + id, Options.empty());
            c.connect();
            WebSocketSession s = c.unwrap(WebSocketSession.class);
            UnplugException end = null;
            try {
                // the program's one message; the JDK sometimes fails (InternalError) before delivering it
                assertThat(s.receive(WAIT)).hasValueSatisfying(m -> assertThat(m.text()).isEqualTo("bye"));
                byes++;
                log.await("websocketd ending session " + id + " as its program exited", id + ".*terminated", WAIT);
                s.receive(Duration.ofSeconds(2));
            } catch (UnplugException raised) {
                end = raised;
            }
            if (end != null) {
                seenByReceive++;
                assertThat(end.getMessage()).containsAnyOf("the server closed the WebSocket", "the WebSocket failed");
                assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            } else {
                DisconnectOutcome o = c.disconnect(Duration.ofMillis(500));
                assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
            }
        }
        assertThat(byes).as("sessions whose message arrived").isPositive();
        assertThat(seenByReceive).as("sessions whose end a receive raised").isPositive();
    }

    @Test
    void aPathTheServerDoesNotServeIsRefusedWithItsHttpStatus() {
        Connection c = host.open("ws://127.0.0.1:10080/nothing-here", Options.empty());
        UnplugException e = catchThrowableOfType(c::connect, UnplugException.class);
        assertThat(e.kind()).as("%s", e).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.replyCode()).hasValue(404);
    }

    @Test
    void wssWithTheServersCertificateTrustedEndsCleanAndWithoutItFailsTyped() {
        Server.WEBSOCKET_TLS.require();
        String id = id();
        ServerLog log = ServerLog.mark(ServerPaths.get("WEBSOCKETD_TLS_LOG"));
        Options trust = Options.builder().set("tlsTrustStore", ServerPaths.get("WEBSOCKETD_TLS_TRUST_STORE")
                .toString()).set("tlsTrustStorePassword", "unplug-interop").build();
        Connection c = host.open("wss://127.0.0.1:10443/echo?session=" + id, trust);
        c.connect();
        WebSocketSession s = c.unwrap(WebSocketSession.class);
        s.sendBinary("over TLS\n".getBytes());
        assertThat(s.receive(WAIT)).hasValueSatisfying(m -> assertThat(m.text().strip()).isEqualTo("over TLS"));
        assertThat(c.disconnect(Duration.ofSeconds(2)).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        log.await("websocketd (TLS) receiving the close 1000 of session " + id, id + ".*close 1000 \\(normal\\)",
                WAIT);
        Connection untrusted = host.open("wss://127.0.0.1:10443/echo", Options.empty());
        UnplugException e = catchThrowableOfType(untrusted::connect, UnplugException.class);
        assertThat(e.kind()).as("%s", e).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED);
    }

    @Test
    void anAdoptedWebSocketTheApplicationBuiltEndsWithTheServersStatusObserved() throws Exception {
        String id = id();
        ServerLog log = ServerLog.mark(ServerPaths.get("WEBSOCKETD_LOG"));
        java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(java.net.URI.create("ws://127.0.0.1:10080/echo?session=" + id),
                        WebSocketListeners.observed(new java.net.http.WebSocket.Listener() { }))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        Connection c = host.adopt(ws);
        DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
        assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("answered close 1000"));
        log.await("websocketd receiving the close 1000 of the adopted session " + id, id
                + ".*close 1000 \\(normal\\)", WAIT);
    }

    private static String id() {
        return "unplug-it-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
