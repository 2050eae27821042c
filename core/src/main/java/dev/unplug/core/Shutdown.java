package dev.unplug.core;

import dev.unplug.api.BusyPolicy;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.PendingDisconnect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of {@link PluginHost#shutdown(Duration)}, in three phases under one overall deadline:
 *
 * <ol>
 *   <li>send: a bounded pool of daemon worker threads, created for this run, sends every goodbye without waiting
 *       for its answer ({@link AbstractConnection#beginDisconnect(Duration)}); a connection busy in a command is
 *       set aside (no worker waits for its command), and one not built on the SPI's base gets a waiting graceful
 *       disconnect instead;</li>
 *   <li>collect: the calling thread watches the sent goodbyes ({@link PendingDisconnect#answerReady()}, which
 *       never blocks) and hands each answer that has arrived to a worker to read, so a connection whose server
 *       answers promptly never waits behind a silent one; and begins the goodbye of a connection set aside as soon
 *       as its command is over;</li>
 *   <li>at the deadline, every connection that has not ended is dropped, by the calling thread and the workers
 *       together (a goodbye already sent makes that {@code ESCALATED}, see {@link DisconnectOutcome.Kind}).
 *       Closing thousands of sockets takes time of its own (about {@value #DROP_COST_NANOS} ns each, spread over
 *       the cores, or what the send phase took per connection when that is more), so dropping starts that much
 *       before the deadline, giving up at most {@value #MAX_DROP_LEAD_PERCENT} % of it, and the run ends close to
 *       the deadline rather than after it. A connection still busy in a command costs more to drop: the drop wakes
 *       the thread waiting for the command, which then unwinds on the same cores (about
 *       {@value #BUSY_DROP_COST_NANOS} ns of one core each, measured with 500 pgjdbc statements in flight), so each
 *       adds that too, giving up at most {@value #MAX_DROP_LEAD_PERCENT} % more: a command that has not ended
 *       before the last fifth of the deadline is not waited for to its very end.</li>
 * </ol>
 *
 * Threads: the caller plus at most {@value #MAX_WORKERS} workers, told to stop before it returns (each leaves
 * within 50 ms, or after the drop it is doing).
 */
final class Shutdown {

    /** The most worker threads one shutdown uses. */
    static final int MAX_WORKERS = 64;
    /**
     * What dropping one connection costs the machine (closing a TCP socket: getsockopt, shutdown, close, and the
     * ending's bookkeeping), measured at 30-40 µs on 2 shared cores. Dropping starts early enough for the drops
     * to finish by the deadline: this cost times the connections left, spread over the cores.
     */
    private static final long DROP_COST_NANOS = TimeUnit.MICROSECONDS.toNanos(40);
    /** The most of the deadline given up to start dropping early. */
    private static final int MAX_DROP_LEAD_PERCENT = 10;
    /** What dropping a connection busy in a command costs beyond a plain drop: its waiting thread wakes and unwinds. */
    private static final long BUSY_DROP_COST_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How often the collector looks for answers that have arrived, at most (see {@link #collect()}). */
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long the run waits for workers still dropping the last connections they took at the deadline. */
    private static final long WORKER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final List<Connection> connections;
    private final long start;
    private final long end;
    private final LinkedBlockingDeque<Runnable> tasks = new LinkedBlockingDeque<>();
    private final ConcurrentLinkedQueue<PendingDisconnect> sent = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Connection> toDrop = new ConcurrentLinkedQueue<>();
    /** Connections busy in a command when their goodbye was to be sent: begun again once the command is over. */
    private final ConcurrentLinkedQueue<Connection> busy = new ConcurrentLinkedQueue<>();
    /** How many are in {@link #busy}. */
    private final AtomicInteger busyCount = new AtomicInteger();
    private final Set<Connection> ended = ConcurrentHashMap.newKeySet();
    private final CountDownLatch finished;
    private final ConnectionListener endings = new ConnectionListener() {
        @Override
        public void disconnected(Connection connection, DisconnectOutcome outcome) {
            markEnded(connection);
            connection.removeListener(this);
        }
    };
    private volatile boolean stopping;
    private final AtomicInteger begun = new AtomicInteger();
    /** How long the send phase took to begin every connection's goodbye, once known (0 before). */
    private volatile long sendNanos;

    private Shutdown(List<Connection> connections, long start, Duration deadline) {
        this.connections = connections;
        this.start = start;
        this.end = start + deadline.toNanos();
        this.finished = new CountDownLatch(connections.size());
    }

    static ShutdownReport run(List<Connection> connections, Duration deadline) {
        long start = System.nanoTime();
        return new Shutdown(connections, start, deadline).run(deadline);
    }

    private ShutdownReport run(Duration deadline) {
        for (Connection c : connections) {
            try {
                c.addListener(endings);
            } catch (RuntimeException | LinkageError e) {
                // a broken plugin: its outcome is read at the end
            }
            if (c.outcome().isPresent()) {
                markEnded(c);
                c.removeListener(endings);
            }
        }
        List<Thread> workers = startWorkers(Math.min(MAX_WORKERS, connections.size()));
        try {
            for (Connection c : connections) {
                tasks.add(() -> {
                    begin(c);
                    begun();
                });
            }
            collect();
            dropWhatIsLeft(workers.size());
            LinkedHashMap<Connection, DisconnectOutcome> outcomes = new LinkedHashMap<>(connections.size() * 4 / 3 + 1);
            for (Connection c : connections) {
                outcomes.put(c, c.outcome().orElseGet(() -> DisconnectOutcome.escalated(since(), "the connection did"
                        + " not end when the shutdown deadline passed and drop() did not end it", null,
                        new UnplugException(ErrorKind.FAILED, c.pluginId() + " connection " + c.uri()
                                + " ignored drop()"))));
            }
            return new ShutdownReport(since(), deadline, outcomes);
        } finally {
            // idle workers leave within a poll of their own (they are daemons): interrupting 64 took 8-20 ms of
            // the caller's time after the deadline on 2 busy cores
            stopping = true;
            for (Connection c : finished.getCount() == 0 ? List.<Connection>of() : connections) {
                if (!ended.contains(c)) {
                    try {
                        c.removeListener(endings);
                    } catch (RuntimeException | LinkageError ignored) {
                        // nothing to undo
                    }
                }
            }
        }
    }

    private void markEnded(Connection c) {
        if (ended.add(c)) {
            finished.countDown();
        }
    }

    private List<Thread> startWorkers(int n) {
        int run = RUNS.incrementAndGet();
        List<Thread> workers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(this::work, "unplug-shutdown-" + run + "-" + i);
                t.setDaemon(true);
                t.start();
                workers.add(t);
            }
        } catch (OutOfMemoryError | RuntimeException e) {
            // fewer workers than wanted (thread limit): the caller does the work of the missing ones
        }
        if (workers.isEmpty()) {
            // no thread at all: the caller sends every goodbye itself before collecting
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
        return workers;
    }

    private void work() {
        while (!stopping) {
            Runnable task;
            try {
                task = tasks.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task != null) {
                task.run();
            }
        }
    }

    /** Phase 1, on a worker: send the goodbye without waiting, or disconnect waiting when that cannot be. */
    private void begin(Connection c) {
        long left = end - System.nanoTime();
        try {
            if (c.outcome().isPresent()) {
                return;
            }
            if (left <= 0) {
                endNow(c);
                return;
            }
            ConnectionState s = c.state();
            switch (s) {
                case NOT_INITIALISED -> c.close();
                case CONNECTING, SECURING -> c.drop();
                case DISCONNECTED -> {
                    // ended on its own meanwhile
                }
                default -> {
                    PendingDisconnect pending = c instanceof AbstractConnection a
                            ? a.beginDisconnect(Duration.ofNanos(left)) : null;
                    if (pending == null && c instanceof AbstractConnection && c.state() == ConnectionState.BUSY) {
                        // a command is in flight: no worker waits for it; collect() begins it again once it is over,
                        // and at the deadline it is dropped like the rest
                        busyCount.incrementAndGet();
                        busy.add(c);
                    } else if (pending == null) {
                        c.disconnect(Duration.ofNanos(left), BusyPolicy.WAIT);
                    } else if (pending.outcome().isEmpty()) {
                        sent.add(pending);
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // refused (a device that is capturing), the state moved under us, or a broken plugin: end it now
            endNow(c);
        }
    }

    /**
     * Phase 2, on the calling thread: hand every answer that has arrived to a worker, until all end or it is time
     * to drop the rest ({@link #dropLead(long)} before the deadline).
     */
    private void collect() {
        long remaining;
        while ((remaining = finished.getCount()) > 0) {
            long sweepStart = System.nanoTime();
            long left = end - dropLead(remaining) - sweepStart;
            if (left <= 0) {
                return;
            }
            for (Iterator<Connection> it = busy.iterator(); it.hasNext(); ) {
                Connection c = it.next();
                if (c.outcome().isPresent()) {
                    it.remove();
                    busyCount.decrementAndGet();
                } else if (c.state() != ConnectionState.BUSY) {
                    it.remove();
                    busyCount.decrementAndGet();
                    tasks.addFirst(() -> begin(c));
                }
            }
            for (Iterator<PendingDisconnect> it = sent.iterator(); it.hasNext(); ) {
                PendingDisconnect p = it.next();
                if (p.outcome().isPresent()) {
                    it.remove();
                } else if (p.answerReady()) {
                    it.remove();
                    tasks.addFirst(() -> finish(p));
                }
            }
            // a sweep over thousands of sent goodbyes costs milliseconds (a non-blocking read each): wait at least as
            // long as it took, so the collector takes at most half a core from the workers and the plugins' threads
            long sweep = System.nanoTime() - sweepStart;
            try {
                if (finished.await(Math.min(left, Math.max(SWEEP_NANOS, sweep)), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Counts a connection whose first goodbye was begun; the last one records how long sending them all took. */
    private void begun() {
        if (begun.incrementAndGet() == connections.size()) {
            sendNanos = System.nanoTime() - start;
        }
    }

    /**
     * How long before the deadline dropping must start so that dropping this many ends by the deadline: the cost of
     * a drop ({@value #DROP_COST_NANOS} ns spread over the cores), or, when more, what touching one connection cost
     * in the send phase (its wall time per connection, all workers together: a busy machine or a plugin whose
     * connections are costly to end shows there), times the connections left; at most
     * {@value #MAX_DROP_LEAD_PERCENT} % of the deadline; plus {@value #BUSY_DROP_COST_NANOS} ns spread over the cores
     * for each connection still busy in a command, at most {@value #MAX_DROP_LEAD_PERCENT} % more.
     */
    private long dropLead(long connectionsLeft) {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        long perConnection = DROP_COST_NANOS / cores;
        long sent = sendNanos;
        if (sent > 0) {
            perConnection = Math.max(perConnection, sent / connections.size());
        }
        long cap = (end - start) / 100 * MAX_DROP_LEAD_PERCENT;
        return Math.min(connectionsLeft * perConnection, cap)
                + Math.min(busyCount.get() * (BUSY_DROP_COST_NANOS / cores), cap);
    }

    private static void finish(PendingDisconnect p) {
        try {
            p.finish();
        } catch (RuntimeException | LinkageError e) {
            endNow(p.connection());
        }
    }

    /** Phase 3: drop what has not ended, the caller and every free worker together. */
    private void dropWhatIsLeft(int workers) {
        if (finished.getCount() == 0) {
            return;
        }
        tasks.clear();
        for (Connection c : connections) {
            if (!ended.contains(c) && c.outcome().isEmpty()) {
                toDrop.add(c);
            }
        }
        for (int i = 0; i < workers; i++) {
            tasks.addFirst(this::drainDrops);
        }
        drainDrops();
        try {
            // a worker may still be dropping the last ones it took; each drop is quick
            finished.await(WORKER_GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : connections) {
            if (c.outcome().isEmpty()) {
                endNow(c);
            }
        }
    }

    private void drainDrops() {
        Connection c;
        while ((c = toDrop.poll()) != null) {
            endNow(c);
        }
    }

    /** Ends a connection without waiting: drop, or close when it was never connected. Never throws. */
    private static void endNow(Connection c) {
        try {
            if (c.outcome().isPresent()) {
                return;
            }
            if (c.state() == ConnectionState.NOT_INITIALISED) {
                c.close();
            } else {
                c.drop();
            }
        } catch (RuntimeException | LinkageError ignored) {
            // reported as "ignored drop()" by the caller when it left no outcome
        }
    }

    private Duration since() {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
