package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL figure, against the real PostgreSQL 15 that {@code scripts/servers.sh} runs on 127.0.0.1:10432,
 * beside pgjdbc itself on the same server in the same run: a graceful disconnect against pgjdbc's {@code close()}
 * (which writes Terminate and does not wait for the server: Unplug also waits for the server's end of the session),
 * a drop under a running {@code pg_sleep} against pgjdbc's {@code abort(Executor)}, timed to the blocked thread's
 * return, and a host shutdown of N connections, half with a query in flight, with {@code cancelOnDrop} (every one
 * ended by the deadline + 100 ms, the server's backends gone within 1 s). Not run when the server is not there.
 */
final class PostgresFigure implements Figure {

    private static final String URL = "postgresql://unplug:unplug-pw@127.0.0.1:10432/unplug";
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:10432/unplug";

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int samples = quick ? 10 : 200;
        int drops = quick ? 5 : 50;
        int bulk = quick ? 50 : 1_000;
        Result r = new Result(name(), "PostgreSQL: graceful, drop under a query, and a bulk shutdown",
                "pgjdbc 42.7.14 itself on the same server: `close()` and `abort(Executor)`",
                "graceful median <= 1.05x pgjdbc close(); drop -> blocked thread back <= 1.2x abort(); bulk: all ended"
                        + " by the deadline + 100 ms, 0 sockets left, backends gone within 1 s");
        r.settings = Stats.f("PostgreSQL 15 on 127.0.0.1 (scripts/servers.sh), user unplug (SCRAM); %d graceful samples"
                + " of each, interleaved, after 10 unjudged; %d drops of each under SELECT pg_sleep(5); bulk: %,d"
                + " connections, half running pg_sleep(30) (started once all are open), host.shutdown(2 s) with cancelOnDrop;"
                + " the server capped at one core's worth of CPU by scripts/servers.sh (a database on a host of its own)", samples, drops,
                bulk);
        if (!r.serverListening("PostgreSQL", 10432)) {
            return r;
        }
        r.header("measure", "Unplug median", "Unplug p99", "pgjdbc median", "pgjdbc p99", "Unplug / pgjdbc (median)",
                "outcomes");
        try (PluginHost host = PluginHost.builder().build()) {
            graceful(r, host, samples);
            drop(r, host, drops);
            bulk(r, host, bulk);
        }
        return r;
    }

    private static void graceful(Result r, PluginHost host, int samples) throws Exception {
        long[] unplug = new long[samples];
        long[] pgjdbc = new long[samples];
        int clean = 0;
        for (int i = -10; i < samples; i++) {
            Connection c = host.open(URL, Options.empty());
            c.connect();
            long t0 = System.nanoTime();
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            long u = System.nanoTime() - t0;
            java.sql.Connection j = pgjdbc();
            long t1 = System.nanoTime();
            j.close();
            long p = System.nanoTime() - t1;
            if (i >= 0) {
                unplug[i] = u;
                pgjdbc[i] = p;
                clean += o.kind() == DisconnectOutcome.Kind.CLEAN ? 1 : 0;
            }
        }
        unplug = Stats.sorted(unplug);
        pgjdbc = Stats.sorted(pgjdbc);
        double ratio = (double) Stats.median(unplug) / Stats.median(pgjdbc);
        r.row("graceful: disconnect(2 s) vs close()", Stats.us(Stats.median(unplug)), Stats.us(Stats.p99(unplug)),
                Stats.us(Stats.median(pgjdbc)), Stats.us(Stats.p99(pgjdbc)), Stats.x(ratio),
                clean + " of " + samples + " CLEAN (the server ended each session)");
        r.series("postgresql graceful", "Unplug disconnect(2 s)", unplug);
        r.series("postgresql graceful", "pgjdbc close()", pgjdbc);
        r.judge(ratio <= 1.05 && clean == samples).note(Stats.f("graceful: %s of pgjdbc's close() (goal <= 1.05x):"
                + " Unplug waits for the server to end the session, which close() does not", Stats.x(ratio)));
    }

    private static void drop(Result r, PluginHost host, int n) throws Exception {
        long[] unplug = new long[n];
        long[] pgjdbc = new long[n];
        ExecutorService abortPool = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < n; i++) {
                Connection c = host.open(URL, Options.empty());
                c.connect();
                java.sql.Connection view = c.unwrap(java.sql.Connection.class);
                int pid = pid(view);
                unplug[i] = blockedThenEnded(view, c::drop, () -> c.state() == ConnectionState.BUSY);
                terminate(pid);
                java.sql.Connection j = pgjdbc();
                int jpid = pid(j);
                pgjdbc[i] = blockedThenEnded(j, () -> {
                    try {
                        j.abort(abortPool);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, null);
                terminate(jpid);
            }
        } finally {
            abortPool.shutdownNow();
        }
        unplug = Stats.sorted(unplug);
        pgjdbc = Stats.sorted(pgjdbc);
        double ratio = (double) Stats.median(unplug) / Stats.median(pgjdbc);
        r.row("drop under pg_sleep: blocked thread back, drop() vs abort()", Stats.us(Stats.median(unplug)),
                Stats.us(Stats.p99(unplug)), Stats.us(Stats.median(pgjdbc)), Stats.us(Stats.p99(pgjdbc)),
                Stats.x(ratio), "each blocked thread got a connection exception");
        r.series("postgresql drop: blocked thread back", "Unplug drop()", unplug);
        r.series("postgresql drop: blocked thread back", "pgjdbc abort()", pgjdbc);
        r.judge(ratio <= 1.2).note(Stats.f("drop: %s of pgjdbc's abort() (goal <= 1.2x)", Stats.x(ratio)));
    }

    private static void bulk(Result r, PluginHost host, int n) throws Exception {
        List<Connection> all = new ArrayList<>();
        List<Integer> pids = new ArrayList<>();
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Connection c = host.open(URL + "?cancelOnDrop=true", Options.empty());
            c.connect();
            all.add(c);
            pids.add(pid(c.unwrap(java.sql.Connection.class)));
        }
        // the queries start once every connection is open (opening 1,000 takes longer than a short query runs)
        for (int i = 0; i < n; i += 2) {
            java.sql.Connection view = all.get(i).unwrap(java.sql.Connection.class);
            Thread t = new Thread(() -> {
                try (Statement s = view.createStatement()) {
                    s.executeQuery("SELECT pg_sleep(30)");
                } catch (Exception expected) {
                    // ended under it
                }
            }, "bench-pg-query-" + i);
            t.setDaemon(true);
            t.start();
            busy.add(t);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (all.stream().filter(c -> c.state() == ConnectionState.BUSY).count() < busy.size()
                && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        long inQuery = all.stream().filter(c -> c.state() == ConnectionState.BUSY).count();
        long t0 = System.nanoTime();
        ShutdownReport report = host.shutdown(Duration.ofSeconds(2));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        long notEnded = all.stream().filter(c -> c.state() != ConnectionState.DISCONNECTED).count();
        int left = dev.unplug.testkit.ProcessResources.tcpSocketsConnectedTo(10432);
        long gone = -1;
        long t1 = System.nanoTime();
        while (System.nanoTime() - t1 < TimeUnit.SECONDS.toNanos(3)) {
            if (backends(pids) == 0) {
                gone = System.nanoTime() - t1;
                break;
            }
            Thread.sleep(10);
        }
        r.row(Stats.f("bulk: host.shutdown(2 s) of %,d, half in a query, cancelOnDrop", n), Stats.f("%,d ms",
                took.toMillis()), "-", "-", "-", "-", Stats.f("%d in a query at the start; ", inQuery) + report.counts()
                + Stats.f("; %d not ended, %d sockets left; backends gone %s after", notEnded, left, gone < 0
                        ? "NOT within 3 s" : Stats.ms(gone)));
        r.judge(took.compareTo(Duration.ofMillis(2_100)) <= 0 && notEnded == 0 && left == 0 && gone >= 0
                && gone <= TimeUnit.SECONDS.toNanos(1));
    }

    /** Starts pg_sleep(5) on another thread, waits until it is in flight, ends, and times the thread's return. */
    private static long blockedThenEnded(java.sql.Connection jdbc, Runnable end,
            java.util.function.BooleanSupplier busy)
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        long[] back = new long[1];
        Thread t = new Thread(() -> {
            started.countDown();
            try (Statement s = jdbc.createStatement()) {
                s.executeQuery("SELECT pg_sleep(5)");
            } catch (Exception expected) {
                // ended under it: the point of the measure
            }
            back[0] = System.nanoTime();
        }, "bench-pg-blocked");
        t.start();
        started.await();
        if (busy != null) {
            while (!busy.getAsBoolean()) {
                Thread.onSpinWait();
            }
        }
        Thread.sleep(20); // the query has reached the server and the thread waits in its read
        long t0 = System.nanoTime();
        end.run();
        t.join(10_000);
        return back[0] - t0;
    }

    private static java.sql.Connection pgjdbc() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "unplug");
        p.setProperty("password", "unplug-pw");
        return new org.postgresql.Driver().connect(JDBC, p);
    }

    private static int pid(java.sql.Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Ends a backend a measure left running (its query would otherwise sleep on). */
    private static void terminate(int pid) throws Exception {
        java.sql.Connection c = pgjdbc();
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")");
        } finally {
            c.close();
        }
    }

    private static long backends(List<Integer> pids) throws Exception {
        java.sql.Connection c = pgjdbc();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                + " WHERE pid IN (" + String.join(",", pids.stream().map(String::valueOf).toList()) + ")")) {
            r.next();
            return r.getLong(1);
        } finally {
            c.close();
        }
    }
}
