package dev.unplug.testkit.redis;

import dev.unplug.api.Connection;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.tck.ConnectionContractTest;
import java.net.URI;
import org.junit.jupiter.api.function.Executable;

/**
 * The whole TCK against the plugin guide's Redis example: a loopback peer that answers each RESP command on one of its
 * lines (AUTH on the user name: {@code default} here, {@code tckuser} in the TCK's secrets check; PING; QUIT), so the
 * login hook runs in every check that connects.
 */
class RedisContractTest extends ConnectionContractTest {

    static final String PASSWORD = "tck-redis-secret";

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return RedisProvider.class;
    }

    @Override
    protected LineScript script() {
        return LineScript.builder()
                .on(line -> line.equals("default") || line.equals("tckuser"), "+OK")
                .on(LineScript.command("PING"), "+PONG")
                .goodbye(LineScript.command("QUIT"), "+OK")
                .build();
    }

    @Override
    protected URI uri(int port) {
        return URI.create("redis://default:" + PASSWORD + "@127.0.0.1:" + port);
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        return () -> ((RedisProvider.RedisConnection) connection).ping();
    }

    @Override
    protected boolean defersGoodbyeAnswer() {
        return true;
    }
}
