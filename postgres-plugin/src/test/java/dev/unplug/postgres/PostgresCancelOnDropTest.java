package dev.unplug.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.Options;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.ProcessResources;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.tck.PeerBehaviour;
import java.net.URI;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cancelOnDrop} sends a CancelRequest when there is a statement to cancel, and only then: PostgreSQL forks a
 * process for every CancelRequest, and a session idle at the drop ends on the server at the end of its stream.
 */
@ExtendWith(UnplugExtension.class)
class PostgresCancelOnDropTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final PostgresProvider provider = new PostgresProvider();

    @Test
    void aDropSendsACancelRequestOnlyWhenAStatementIsInFlight(ConnectionTracker tracker) throws Exception {
        try (FakePostgres server = new FakePostgres(PeerBehaviour.NORMAL)) {
            URI uri = URI.create(server.uri() + "&cancelOnDrop=true");
            Connection idle = tracker.track(provider.open(uri, Options.empty()));
            idle.connect();
            idle.drop();
            Thread.sleep(500); // a CancelRequest goes out at once on the clean-up thread, when one goes out
            assertThat(server.cancels()).as("CancelRequests after the idle session's drop").isZero();

            Connection busy = tracker.track(provider.open(uri, Options.empty()));
            busy.connect();
            server.mute(); // the next statement is never answered: its thread stays blocked in it
            java.sql.Connection jdbc = busy.unwrap(java.sql.Connection.class);
            CompletableFuture<Void> query = CompletableFuture.runAsync(() -> {
                try (Statement s = jdbc.createStatement()) {
                    s.executeQuery("SELECT 1");
                } catch (Exception expected) {
                    // the drop ends it
                }
            });
            assertThat(ProcessResources.awaitCondition(() -> busy.state() == ConnectionState.BUSY, WAIT)).isTrue();
            busy.drop();
            query.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ProcessResources.awaitCondition(() -> server.cancels() > 0, WAIT))
                    .as("a CancelRequest for the statement in flight").isTrue();
            Thread.sleep(200);
            assertThat(server.cancels()).as("CancelRequests in all").isEqualTo(1);
        }
    }

    @Test
    void aSessionWhosePgjdbcConnectionWasHandedOutIsAlwaysCancelled(ConnectionTracker tracker) throws Exception {
        try (FakePostgres server = new FakePostgres(PeerBehaviour.NORMAL)) {
            Connection c = tracker.track(provider.open(URI.create(server.uri() + "&cancelOnDrop=true"),
                    Options.empty()));
            c.connect();
            // pgjdbc's own connection: statements on it run where the plugin cannot see them
            c.unwrap(java.sql.Connection.class).unwrap(org.postgresql.PGConnection.class);
            c.drop();
            assertThat(ProcessResources.awaitCondition(() -> server.cancels() > 0, WAIT))
                    .as("a CancelRequest, since a statement may be running unseen").isTrue();
        }
    }
}
