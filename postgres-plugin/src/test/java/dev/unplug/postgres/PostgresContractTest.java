package dev.unplug.postgres;

import dev.unplug.api.Connection;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.TckPeer;
import java.net.URI;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.function.Executable;

/**
 * The whole TCK against the postgresql plugin, through the TCK's peer control: each peer is {@link FakePostgres},
 * a PostgreSQL v3 wire-protocol server whose goodbye is Terminate, answered by the end of the session (or not, or
 * by a reset, as each check asks). The blocking operation is a query through the application's JDBC view; the
 * Unplug error a drop raises there is the cause of JDBC's connection exception, and is what the TCK checks.
 */
class PostgresContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return PostgresProvider.class;
    }

    @Override
    protected URI uri(int port) {
        return URI.create("postgresql://tck:tckpass@127.0.0.1:" + port + "/tck?sslmode=disable");
    }

    @Override
    protected TckPeer startPeer(PeerBehaviour behaviour) {
        return new FakePostgres(behaviour);
    }

    @Override
    protected boolean defersGoodbyeAnswer() {
        return true; // Terminate written in beginDisconnect; the server's end awaited by no thread
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        java.sql.Connection jdbc = connection.unwrap(java.sql.Connection.class);
        return () -> {
            try (Statement s = jdbc.createStatement()) {
                s.executeQuery("SELECT 1").close();
            } catch (SQLException e) {
                if (e.getCause() instanceof UnplugException u) {
                    throw u;
                }
                throw e;
            }
        };
    }
}
