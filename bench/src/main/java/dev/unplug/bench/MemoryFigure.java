package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.core.PluginHost;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.pop3.POP3Client;

/**
 * The memory figure: the heap one open POP3 connection holds, tracked by a plugin host (the pop3 plugin, which wraps
 * a Commons Net client), against a bare Commons Net {@code POP3Client} connected to the same peer; measured as
 * the heap in use after full collections with n connections open, minus the heap before, over n. The peers run
 * in another process.
 */
final class MemoryFigure implements Figure {

    private static final long GOAL_BYTES = 1024;

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int n = quick ? 300 : 10_000;
        int rounds = quick ? 1 : 2;
        Result r = new Result(name(), "Memory per tracked connection at 10,000 connections",
                "a bare Commons Net `POP3Client` per connection, connected to the same peer",
                "<= 1 KiB added per connection");
        r.settings = Stats.f("%,d open POP3 connections of each kind (greeting read, no login; Unplug's opened from"
                + " one URI object), %d rounds; heap in use"
                + " after System.gc() until it settles, before and with them open; peers in a child process", n,
                rounds);
        r.header("round", "bare Commons Net, per connection", "Unplug (tracked by a host), per connection",
                "added by Unplug");
        long worst = Long.MIN_VALUE;
        try (PeerProcesses peers = PeerProcesses.start()) {
            for (int round = 0; round <= rounds; round++) {
                long bare = bare(n, peers.answering);
                long unplug = unplug(n, peers.answering);
                if (round == 0) {
                    continue; // warm-up: class loading and JIT allocate too
                }
                long added = unplug - bare;
                worst = Math.max(worst, added);
                r.row(String.valueOf(round), Stats.f("%,d B", bare), Stats.f("%,d B", unplug),
                        Stats.f("%,d B", added));
            }
        }
        r.judge(worst <= GOAL_BYTES);
        r.note(Stats.f("worst round: %,d B added per connection (goal <= %,d B)", worst, GOAL_BYTES));
        return r;
    }

    private static long bare(int n, int port) throws Exception {
        List<POP3Client> clients = new ArrayList<>(n);
        long before = usedAfterGc();
        try {
            for (int i = 0; i < n; i++) {
                POP3Client c = new POP3Client();
                c.setConnectTimeout(5_000);
                c.setDefaultTimeout(5_000);
                c.connect("127.0.0.1", port);
                clients.add(c);
            }
            return (usedAfterGc() - before) / n;
        } finally {
            for (POP3Client c : clients) {
                c.disconnect();
            }
        }
    }

    private static long unplug(int n, int port) throws InterruptedException {
        List<Connection> connections = new ArrayList<>(n);
        try (PluginHost host = PluginHost.builder().build()) {
            // one URI for all, as an application holds its configured server (the bare clients share their host
            // string too)
            URI target = URI.create("pop3://127.0.0.1:" + port);
            host.open(target, Options.empty()).close(); // the provider constructed first
            long before = usedAfterGc();
            for (int i = 0; i < n; i++) {
                Connection c = host.open(target, Options.empty());
                c.connect();
                connections.add(c);
            }
            long per = (usedAfterGc() - before) / n;
            connections.forEach(Connection::drop);
            return per;
        }
    }

    /** Heap in use after full collections, once two in a row agree within 64 KiB (at most 10). */
    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < 64 * 1024) {
                return Math.min(used, last);
            }
            last = used;
        }
        return last;
    }
}
