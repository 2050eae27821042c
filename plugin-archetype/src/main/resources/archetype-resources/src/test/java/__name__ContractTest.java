package ${package};

import dev.unplug.api.Connection;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.ConnectionContractTest;
import java.net.URI;
import org.junit.jupiter.api.function.Executable;

/**
 * The whole TCK against {@link ${name}Provider}, with the TCK's loopback peer speaking the protocol as scripted
 * below. A failing check names its rule ("TCK rule N"), listed in Unplug's docs/writing-a-plugin.md under "Rules the TCK checks".
 */
class ${name}ContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return ${name}Provider.class; // registered for ServiceLoader by @AutoService
    }

    @Override
    protected LineScript script() { // what the TCK's loopback peer says
        return LineScript.builder("+OK ready") // the greeting; builder() with none: speak when spoken to
                .on(LineScript.command("PING"), "+PONG")
                .goodbye(LineScript.command("QUIT"), "+BYE")
                .build();
    }

    @Override
    protected URI uri(int port) { // a server on 127.0.0.1 at that port
        return URI.create("${scheme}://127.0.0.1:" + port);
    }

    @Override
    protected Executable blockingOperation(Connection connection) { // one command that blocks for its reply
        return () -> connection.unwrap(${name}Provider.${name}Connection.class).ping();
    }

    @Override
    protected boolean defersGoodbyeAnswer() { // the socket base splits the goodbye in a mass shutdown
        return true;
    }
}
