package dev.unplug.websocket;

import dev.unplug.api.Connection;
import dev.unplug.api.message.WebSocketSession;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.TckPeer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.function.Executable;

/**
 * The whole TCK against the websocket plugin, through the TCK's peer control: each peer is {@link FakeWsServer},
 * whose goodbye is the client's close frame, answered by its own close (or never, or by a reset, as each check
 * asks). The blocking operation sends a text message and waits for its echo.
 */
class WebSocketContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return WebSocketProvider.class;
    }

    @Override
    protected URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/echo");
    }

    @Override
    protected TckPeer startPeer(PeerBehaviour behaviour) {
        return new FakeWsServer(behaviour);
    }

    @Override
    protected boolean defersGoodbyeAnswer() {
        return true; // the close frame sent in beginDisconnect; the server's close read by no thread
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        WebSocketSession s = connection.unwrap(WebSocketSession.class);
        return () -> {
            s.sendText("tck");
            s.receive(Duration.ofSeconds(30));
        };
    }
}
