package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.WebSocketMessage;
import dev.unplug.api.message.WebSocketSession;
import dev.unplug.core.PluginHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's WebSocket step: starts Debian's {@code websocketd} (when installed) as a child process
 * ({@link ChildServer}) on a free port of 127.0.0.1 serving {@code cat}, sends a message and reads its echo, ends
 * that connection with the close handshake (CLEAN: the server answered 1000) and drops a second one. Without
 * websocketd it says so in one line and the demo goes on. Not thread-safe: one demo run.
 */
final class WebSocketDemo {

    private WebSocketDemo() {
    }

    static DemoRow run(PluginHost host) {
        if (!host.schemes().contains("ws")) {
            return new DemoRow("WebSocket", "not available (no websocket plugin in this build)", null, null,
                    DemoRow.Result.NOT_AVAILABLE, null);
        }
        Optional<Path> websocketd = ChildServer.installed("/usr/bin/websocketd", "/usr/local/bin/websocketd");
        if (websocketd.isEmpty()) {
            return new DemoRow("WebSocket", "skipped: websocketd is not installed (apt-get install websocketd)", null,
                    null, DemoRow.Result.SKIPPED, null);
        }
        List<Connection> opened = new ArrayList<>();
        try (ChildServer server = ChildServer.prepare("websocket")) {
            Path echo = server.dir.resolve("echo");
            Files.writeString(echo, "#!/bin/sh\nexec cat\n");
            echo.toFile().setExecutable(true);
            server.start(List.of(websocketd.get().toString(), "--address=127.0.0.1", "--port=" + server.port,
                    echo.toString()));
            String uri = "ws://127.0.0.1:" + server.port + "/";
            Connection polite = host.open(uri, Options.empty());
            opened.add(polite);
            polite.connect();
            WebSocketSession s = polite.unwrap(WebSocketSession.class);
            s.sendText("hello");
            Optional<WebSocketMessage> echoed = s.receive(Duration.ofSeconds(5));
            DisconnectOutcome graceful = polite.disconnect();
            Connection dropped = host.open(uri, Options.empty());
            opened.add(dropped);
            dropped.connect();
            DisconnectOutcome drop = dropped.drop();
            boolean expected = echoed.map(m -> m.text().equals("hello")).orElse(false)
                    && graceful.kind() == DisconnectOutcome.Kind.CLEAN && drop.kind() == DisconnectOutcome.Kind.DROPPED;
            return new DemoRow("WebSocket", "websocketd on 127.0.0.1:" + server.port + " (cat); sent \"hello\", echo: "
                    + echoed.map(m -> "\"" + m.text() + "\"").orElse("NONE"), graceful, drop,
                    expected ? DemoRow.Result.OK : DemoRow.Result.UNEXPECTED, graceful.lastReply().orElse(null));
        } catch (UnplugException e) {
            return new DemoRow("WebSocket", "failed", null, null, DemoRow.Result.FAILED, Errors.line(e));
        } catch (IOException | IllegalStateException e) {
            return new DemoRow("WebSocket", "failed", null, null, DemoRow.Result.FAILED, "error: " + e.getMessage());
        } finally {
            opened.forEach(Connection::close);
        }
    }
}
