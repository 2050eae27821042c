package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The postgresql plugin against PostgreSQL 15, each ending proven by the server's own log (log_connections,
 * log_disconnections, log_min_messages=debug1; every line carries the backend's pid): a graceful disconnect ends
 * with "disconnection: session time" and no "unexpected EOF"; a drop with "unexpected EOF on client connection"
 * (or "could not receive data from client" with {@code resetOnDrop=true}); a drop under a running query leaves the
 * query running unless {@code cancelOnDrop=true}, which the server's {@code pg_stat_activity} shows.
 */
class PostgresTest extends InteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String URI = "postgresql://unplug:unplug-pw@127.0.0.1:10432/unplug";

    @BeforeEach
    void serverRuns() {
        Server.POSTGRES.require();
    }

    @Test
    void gracefulDisconnectSendsTerminateAndTheServerEndsTheSessionCleanly() throws Exception {
        ServerLog log = ServerLog.mark(ServerPaths.get("POSTGRES_LOG"));
        Connection c = host.open(URI, Options.empty());
        c.connect();
        int pid = pid(c);
        DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
        assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("Terminate sent")
                .contains("the server ended the session"));
        List<String> session = session(log, pid, "disconnection: session time");
        assertThat(session).noneMatch(l -> l.contains("unexpected EOF"))
                .noneMatch(l -> l.contains("could not receive data"));
    }

    @Test
    void dropSendsNothingAndTheServerSeesAnUnexpectedEof() throws Exception {
        ServerLog log = ServerLog.mark(ServerPaths.get("POSTGRES_LOG"));
        Connection c = host.open(URI, Options.empty());
        c.connect();
        int pid = pid(c);
        DisconnectOutcome o = c.drop();
        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        List<String> session = session(log, pid, "disconnection: session time");
        assertThat(session).anyMatch(l -> l.contains("unexpected EOF on client connection"));
    }

    @Test
    void dropWithResetOnDropIsAResetTheServerCannotReadFrom() throws Exception {
        ServerLog log = ServerLog.mark(ServerPaths.get("POSTGRES_LOG"));
        Connection c = host.open(URI + "?resetOnDrop=true", Options.empty());
        c.connect();
        int pid = pid(c);
        assertThat(c.drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        List<String> session = session(log, pid, "disconnection: session time");
        assertThat(session).anyMatch(l -> l.contains("could not receive data from client")
                || l.contains("Connection reset by peer"));
    }

    @Test
    void aDropWakesAThreadBlockedInAQueryWhichByDefaultKeepsRunningOnTheServer() throws Exception {
        Connection c = host.open(URI, Options.empty());
        c.connect();
        int pid = pid(c);
        CompletableFuture<Throwable> blocked = sleepInAQuery(c);
        long start = System.nanoTime();
        c.drop();
        Throwable t = blocked.get(2, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(t).isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("executeQuery (SELECT)").hasMessageContaining("dropped")
                .hasCauseInstanceOf(UnplugException.class);
        assertThat(((SQLException) t).getSQLState()).isEqualTo("08006");
        assertThat(((UnplugException) t.getCause()).kind()).isEqualTo(ErrorKind.CONNECTION_DROPPED);
        try {
            Thread.sleep(500);
            assertThat(activity(pid)).as("the backend of the dropped session, 0.5 s after the drop").isEqualTo(
                    "active SELECT pg_sleep(30)");
        } finally {
            terminate(pid);
        }
    }

    @Test
    void cancelOnDropStopsTheQueryOnTheServer() throws Exception {
        Connection c = host.open(URI + "?cancelOnDrop=true", Options.empty());
        c.connect();
        int pid = pid(c);
        CompletableFuture<Throwable> blocked = sleepInAQuery(c);
        c.drop();
        assertThat(blocked.get(2, TimeUnit.SECONDS)).isInstanceOf(SQLNonTransientConnectionException.class);
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        String state = activity(pid);
        while (state.startsWith("active") && System.nanoTime() < until) {
            Thread.sleep(20);
            state = activity(pid);
        }
        try {
            assertThat(state).as("the dropped session's backend after a CancelRequest").doesNotStartWith("active");
        } finally {
            terminate(pid);
        }
    }

    @Test
    void aWrongPasswordIsAuthenticationFailedWithTheServersSqlStateAndNoPassword() {
        Connection c = host.open("postgresql://unplug:Wr0ngSecretPw@127.0.0.1:10432/unplug", Options.empty());
        Throwable t = catchThrowable(c::connect);
        assertThat(t).isInstanceOf(UnplugException.class);
        UnplugException e = (UnplugException) t;
        assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION_FAILED);
        assertThat(e.getMessage()).contains("28P01").doesNotContain("Wr0ngSecretPw");
        assertThat(c.toString()).doesNotContain("Wr0ngSecretPw");
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void anMd5UserLogsInAndEndsCleanly() throws Exception {
        Connection c = host.open("postgresql://unplug_md5:unplug-md5-pw@127.0.0.1:10432/unplug", Options.empty());
        c.connect();
        assertThat(pid(c)).isPositive();
        assertThat(c.disconnect(Duration.ofSeconds(2)).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
    }

    @Test
    void aServerThatIsNotThereIsConnectFailed() {
        Connection c = host.open("postgresql://unplug:unplug-pw@127.0.0.1:1/unplug", Options.empty());
        Throwable t = catchThrowable(c::connect);
        assertThat(t).isInstanceOf(UnplugException.class);
        assertThat(((UnplugException) t).kind()).isEqualTo(ErrorKind.CONNECT_FAILED);
    }

    @Test
    void aPgjdbcConnectionTheApplicationOpenedIsAdoptedTrackedAndEndedWithAnHonestReason() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "unplug");
        p.setProperty("password", "unplug-pw");
        java.sql.Connection own = new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:10432/unplug", p);
        Connection adopted = host.adopt(own);
        assertThat(adopted.state()).isEqualTo(ConnectionState.AUTHENTICATED);
        assertThat(host.openConnections()).contains(adopted);
        assertThat(pid(adopted)).isPositive();
        DisconnectOutcome o = adopted.disconnect(Duration.ofSeconds(2));
        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("not observed"));
        assertThat(own.isClosed()).isTrue();
        Throwable t = catchThrowable(() -> host.adopt(new Object()));
        assertThat(t).isInstanceOf(UnplugException.class).hasMessageContaining("java.lang.Object");
        assertThat(((UnplugException) t).kind()).isEqualTo(ErrorKind.NOT_SUPPORTED);
    }

    @Test
    void aSessionBeyondTheServersConnectionLimitIsOutOfResourcesWithSqlState53300AndTheServersMessage()
            throws Exception {
        // role unplug_one has CONNECTION LIMIT 1: the server refuses a second session with SQLSTATE 53300, the code
        // and kind of message it gives when max_connections is exhausted (which would starve the other tests)
        try (Connection first = host.open("postgresql://unplug_one:unplug-one-pw@127.0.0.1:10432/unplug",
                Options.empty())) {
            first.connect();
            Connection second = host.open("postgresql://unplug_one:unplug-one-pw@127.0.0.1:10432/unplug",
                    Options.empty());
            Throwable t = catchThrowable(second::connect);
            assertThat(t).isInstanceOf(UnplugException.class);
            UnplugException e = (UnplugException) t;
            assertThat(e.kind()).isEqualTo(ErrorKind.OUT_OF_RESOURCES);
            assertThat(e.getMessage()).contains("53300").contains("too many connections for role")
                    .doesNotContain("unplug-one-pw");
            assertThat(second.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(first.disconnect(Duration.ofSeconds(2)).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
    }

    @Test
    void aConnectionOfAHikariPoolIsAdoptedEndedByTheHostAndThePoolReplacesIt() throws Exception {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:10432/unplug");
        config.setUsername("unplug");
        config.setPassword("unplug-pw");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(5_000);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
                PluginHost own = PluginHost.fromClassPath()) {
            java.sql.Connection pooled = pool.getConnection();
            Connection adopted = own.adopt(pooled); // Hikari's proxy: the plugin unwraps it to pgjdbc's own
            assertThat(adopted.state()).isEqualTo(ConnectionState.AUTHENTICATED);
            int pid = pid(adopted);
            ShutdownReport report = own.shutdown(Duration.ofSeconds(2));
            assertThat(report.count(DisconnectOutcome.Kind.CLEAN)).as("%s", report).isEqualTo(1);
            assertThat(report.outcomes().get(adopted).lastReply()).hasValueSatisfying(r ->
                    assertThat(r).contains("not observed"));
            assertThat(pooled.unwrap(org.postgresql.core.BaseConnection.class).isClosed())
                    .as("pgjdbc's connection beneath the pool's after the host ended it").isTrue();
            // handing it back, the application learns it is gone (SQLSTATE 08003) and HikariCP evicts it
            Throwable back = catchThrowable(pooled::close);
            assertThat(back).isInstanceOf(SQLException.class);
            assertThat(((SQLException) back).getSQLState()).isEqualTo("08003");
            assertThat(awaitGone(pid)).as("backend %d after the shutdown", pid).isEqualTo("gone");
            Thread.sleep(600); // past Hikari's 500 ms window in which it hands out a connection unchecked
            try (java.sql.Connection next = pool.getConnection(); Statement s = next.createStatement();
                    ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                r.next();
                assertThat(r.getInt(1)).as("the pool's new backend").isNotEqualTo(pid);
            }
        }
    }

    private static String awaitGone(int pid) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        String seen = activity(pid);
        while (!seen.equals("gone") && System.nanoTime() < until) {
            Thread.sleep(50);
            seen = activity(pid);
        }
        return seen;
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.unwrap(java.sql.Connection.class).createStatement();
                ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static CompletableFuture<Throwable> sleepInAQuery(Connection c) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (Statement s = c.unwrap(java.sql.Connection.class).createStatement()) {
                s.executeQuery("SELECT pg_sleep(30)");
                done.complete(null);
            } catch (Throwable e) {
                done.complete(e);
            }
        }, "blocked-in-a-query");
        t.setDaemon(true);
        t.start();
        long until = System.nanoTime() + WAIT.toNanos();
        while (c.state() != ConnectionState.BUSY && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(c.state()).as("the query is in flight").isEqualTo(ConnectionState.BUSY);
        try {
            Thread.sleep(200); // the query has reached the server
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return done;
    }

    /** What pg_stat_activity says of a backend, from another session: "STATE QUERY", or "gone". */
    private static String activity(int pid) throws Exception {
        try (Connection c = host.open(URI, Options.empty())) {
            c.connect();
            try (var s = c.unwrap(java.sql.Connection.class).prepareStatement(
                    "SELECT state, query FROM pg_stat_activity WHERE pid = ?")) {
                s.setInt(1, pid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) + " " + r.getString(2) : "gone";
                }
            }
        }
    }

    /** Ends a backend this test left sleeping (pg_terminate_backend), so that no test leaves one behind. */
    private static void terminate(int pid) throws Exception {
        try (Connection c = host.open(URI, Options.empty())) {
            c.connect();
            try (var s = c.unwrap(java.sql.Connection.class).prepareStatement("SELECT pg_terminate_backend(?)")) {
                s.setInt(1, pid);
                s.execute();
            }
        }
    }

    /** The server's log lines of one backend, once it has logged a line containing {@code end}. */
    private static List<String> session(ServerLog log, int pid, String end) {
        String tag = "[" + pid + "]";
        return log.awaitAll("the session of backend " + pid + " and its end", lines -> {
            List<String> own = lines.stream().filter(l -> l.contains(tag)).toList();
            return own.stream().anyMatch(l -> l.contains(end)) ? java.util.Optional.of(own)
                    : java.util.Optional.empty();
        }, WAIT);
    }
}
