package dev.unplug.testkit.line;

import dev.unplug.api.Connection;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.ConnectionContractTest;
import java.net.URI;
import org.junit.jupiter.api.function.Executable;

/** The TCK run against the minimal line plugin: proves the TCK and the peers work end to end. */
class LineConnectionContractTest extends ConnectionContractTest {

    static LineScript lineScript() {
        return LineScript.builder("+HELLO line peer")
                .on("LOGIN", "+OK welcome")
                .on("PING", "+PONG")
                .goodbye("QUIT", "+BYE see you")
                .otherwise("-ERR unknown command")
                .build();
    }

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return LineProvider.class;
    }

    @Override
    protected LineScript script() {
        return lineScript();
    }

    @Override
    protected URI uri(int port) {
        return URI.create("line://127.0.0.1:" + port);
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        return () -> connection.unwrap(LineConnection.class).send("PING");
    }
}
