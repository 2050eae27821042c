package dev.unplug.websocket;

import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.message.WebSocketListeners;
import dev.unplug.api.message.WebSocketSession;
import dev.unplug.testkit.tck.PeerBehaviour;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A WebSocket the application built itself, adopted: ended under the contract, with what could be observed. */
class AdoptedWebSocketTest {

    private final WebSocketProvider provider = new WebSocketProvider();

    @Test
    void anAdoptedObservedWebSocketEndsWithTheServersStatusAndTheApplicationsListenerStillHearsIt() throws Exception {
        for (int answer : new int[] {1000, 1011}) {
            try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL, FakeWsServer.Trouble.NONE, answer)) {
                CountDownLatch heard = new CountDownLatch(1);
                WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.uri(),
                        WebSocketListeners.observed(new WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onClose(WebSocket w, int status,
                                    String reason) {
                                heard.countDown();
                                return null;
                            }
                        })).get(5, TimeUnit.SECONDS);
                Connection c = provider.adopt(ws, Options.empty());
                c.unwrap(WebSocketSession.class).sendText("through the view");
                assertThatUnplugThrownBy(() -> c.unwrap(WebSocketSession.class).receive(Duration.ZERO))
                        .hasKind(ErrorKind.NOT_SUPPORTED);
                DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
                assertThat(o.kind()).as("%s", o).isEqualTo(answer == 1000 ? DisconnectOutcome.Kind.CLEAN
                        : DisconnectOutcome.Kind.REFUSED);
                assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("answered close " + answer));
                assertThat(heard.await(2, TimeUnit.SECONDS)).as("the application's listener heard the close").isTrue();
                assertThat(server.messageLog()).contains("TEXT", "CLOSE");
            }
        }
    }

    @Test
    void anAdoptedWebSocketWithoutTheObservedListenerSaysTheStatusWasNotObserved() throws Exception {
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NORMAL)) {
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.uri(),
                    new WebSocket.Listener() { }).get(5, TimeUnit.SECONDS);
            Connection c = provider.adopt(ws, Options.empty());
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("status was not observed"));
        }
        assertThat(provider.adopt("ws://h/", Options.empty())).isNull();
    }

    @Test
    void anAdoptedWebSocketAgainstASilentServerEscalatesAtTheDeadlineAndADropAborts() throws Exception {
        try (FakeWsServer server = new FakeWsServer(PeerBehaviour.NEVER_ANSWERS_GOODBYE)) {
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.uri(),
                    WebSocketListeners.observed(new WebSocket.Listener() { })).get(5, TimeUnit.SECONDS);
            Connection c = provider.adopt(ws, Options.empty());
            DisconnectOutcome o = c.disconnect(Duration.ofMillis(300));
            assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
            assertThat(server.awaitClosed(Duration.ofSeconds(5))).as("the server saw the socket end").isTrue();
            WebSocket other = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.uri(),
                    new WebSocket.Listener() { }).get(5, TimeUnit.SECONDS);
            assertThat(provider.adopt(other, Options.empty()).drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
            assertThat(other.isOutputClosed() && other.isInputClosed()).as("aborted").isTrue();
        }
    }
}
