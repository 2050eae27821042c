package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's PostgreSQL step: makes a throwaway cluster with Debian's PostgreSQL 15 (when installed) in a temporary
 * folder (initdb, then the server as a child process on a free port of 127.0.0.1; as the {@code postgres} user when
 * run as root, since PostgreSQL refuses root), runs a query through the plugin's JDBC view and ends that session
 * gracefully (CLEAN: Terminate sent, the server ended the session), then drops a second session while a thread is
 * blocked in {@code pg_sleep(30)}, with {@code cancelOnDrop}: the blocked thread returns at once. The server is
 * stopped by its pid and the folder removed whatever happened. Without PostgreSQL it says so in one line.
 */
final class PostgresDemo {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String PASSWORD = "unplug-demo-pw";

    private PostgresDemo() {
    }

    static DemoRow run(PluginHost host) {
        if (!host.schemes().contains("postgresql")) {
            return new DemoRow("PostgreSQL", "not available (no postgres plugin in this build)", null, null,
                    DemoRow.Result.NOT_AVAILABLE, null);
        }
        Optional<Path> postgres = ChildServer.installed(BIN.resolve("postgres").toString());
        if (postgres.isEmpty()) {
            return new DemoRow("PostgreSQL", "skipped: PostgreSQL 15 is not installed (apt-get install"
                    + " postgresql-15)", null, null, DemoRow.Result.SKIPPED, null);
        }
        List<Connection> opened = new ArrayList<>();
        try (ChildServer server = ChildServer.prepare("postgres")) {
            List<String> as = asServerUser(server.dir);
            Files.writeString(server.dir.resolve("pw"), PASSWORD + "\n");
            exec(with(as, BIN.resolve("initdb").toString(), "-D", server.dir.resolve("data").toString(), "-U",
                    "unplug", "--pwfile=" + server.dir.resolve("pw"), "--auth=scram-sha-256", "-E", "UTF8",
                    "--no-sync"));
            server.start(with(as, postgres.get().toString(), "-D", server.dir.resolve("data").toString(), "-p",
                    String.valueOf(server.port), "-k", server.dir.toString(), "-c", "listen_addresses=127.0.0.1",
                    "-c", "fsync=off"));
            String uri = "postgresql://unplug:" + PASSWORD + "@127.0.0.1:" + server.port + "/postgres";
            Connection polite = open(host, opened, uri);
            int one;
            try (Statement s = polite.unwrap(java.sql.Connection.class).createStatement();
                    ResultSet r = s.executeQuery("SELECT 1")) {
                r.next();
                one = r.getInt(1);
            }
            DisconnectOutcome graceful = polite.disconnect();
            Connection busy = open(host, opened, uri + "?cancelOnDrop=true");
            AtomicReference<String> blocked = new AtomicReference<>("still blocked");
            Thread query = new Thread(() -> {
                try (Statement s = busy.unwrap(java.sql.Connection.class).createStatement()) {
                    s.executeQuery("SELECT pg_sleep(30)");
                    blocked.set("returned normally");
                } catch (SQLException e) {
                    blocked.set("released with SQLSTATE " + e.getSQLState());
                }
            }, "unplug-demo-pg-query");
            query.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (busy.state() != ConnectionState.BUSY && System.nanoTime() - until < 0) {
                Thread.sleep(5);
            }
            Thread.sleep(50); // the query has reached the server
            DisconnectOutcome drop = busy.drop();
            query.join(5_000);
            boolean expected = one == 1 && graceful.kind() == DisconnectOutcome.Kind.CLEAN
                    && drop.kind() == DisconnectOutcome.Kind.DROPPED && blocked.get().startsWith("released");
            return new DemoRow("PostgreSQL", "throwaway PostgreSQL 15 on 127.0.0.1:" + server.port + "; SELECT 1 = "
                    + one + "; drop under pg_sleep(30): the query thread " + blocked.get(), graceful, drop,
                    expected ? DemoRow.Result.OK : DemoRow.Result.UNEXPECTED, graceful.lastReply().orElse(null));
        } catch (UnplugException e) {
            return new DemoRow("PostgreSQL", "failed", null, null, DemoRow.Result.FAILED, Errors.line(e));
        } catch (IOException | SQLException | IllegalStateException e) {
            return new DemoRow("PostgreSQL", "failed", null, null, DemoRow.Result.FAILED, "error: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DemoRow("PostgreSQL", "interrupted", null, null, DemoRow.Result.FAILED, null);
        } finally {
            opened.forEach(Connection::close);
        }
    }

    /** PostgreSQL refuses root: as root, the folder goes to the postgres user and the programs run as it. */
    private static List<String> asServerUser(Path dir) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        exec(List.of("chown", "postgres:postgres", dir.toString()));
        return List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups");
    }

    private static List<String> with(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    private static Connection open(PluginHost host, List<Connection> opened, String uri) {
        Connection c = host.open(uri, Options.empty());
        opened.add(c);
        c.connect();
        return c;
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(command.size() > 4 ? 4 : 0) + " failed: "
                    + out.lines().reduce((a, b) -> b).orElse(""));
        }
    }
}
