package dev.unplug.core;

import dev.unplug.api.BusyPolicy;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of {@link PluginHost#shutdown(Duration)}: disconnects the given connections gracefully in parallel
 * on a bounded pool of daemon threads created for this run, each under what is left of the one overall deadline;
 * at the deadline drops every connection that has not ended, stops the pool and reports each outcome.
 */
final class Shutdown {

    /** The most worker threads one shutdown uses. */
    static final int MAX_WORKERS = 64;
    /** How long, after everything has ended, the run waits for its workers to notice before returning. */
    private static final long WORKER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * How long past the deadline a goodbye in flight may take to be escalated by its own deadline timer (which
     * fires at the same instant) before the run drops it.
     */
    private static final long IN_FLIGHT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private Shutdown() {
    }

    static ShutdownReport run(List<Connection> connections, Duration deadline) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        ConcurrentLinkedQueue<Connection> queue = new ConcurrentLinkedQueue<>(connections);
        CountDownLatch finished = new CountDownLatch(connections.size());
        int run = RUNS.incrementAndGet();
        List<Thread> workers = new ArrayList<>();
        try {
            int n = Math.min(MAX_WORKERS, connections.size());
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> work(queue, finished, end), "unplug-shutdown-" + run + "-" + i);
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
        } catch (OutOfMemoryError | RuntimeException e) {
            // fewer workers than wanted (thread limit): the ones started, and the deadline sweep, still end all
        }
        boolean interrupted = !await(finished, end - System.nanoTime());
        // at the deadline: what never started its goodbye is dropped (nothing sent: DROPPED), by this thread and
        // by the workers as they come free; goodbyes in flight get a moment to be escalated by their own deadline
        // timers (which fire at the same instant); then whatever is left is dropped
        Connection next;
        while ((next = queue.poll()) != null) {
            try {
                endNow(next);
            } finally {
                finished.countDown();
            }
        }
        if (!interrupted) {
            await(finished, IN_FLIGHT_GRACE_NANOS);
        }
        for (Connection each : connections) {
            if (each.outcome().isEmpty()) {
                endNow(each);
            }
        }
        Map<Connection, DisconnectOutcome> outcomes = new LinkedHashMap<>();
        for (Connection c : connections) {
            outcomes.put(c, c.outcome().orElseGet(() -> DisconnectOutcome.escalated(since(start),
                    "the connection did not end when the shutdown deadline passed and drop() did not end it", null,
                    new UnplugException(ErrorKind.FAILED, c.pluginId() + " connection " + c.uri()
                            + " ignored drop()"))));
        }
        stop(workers);
        return new ShutdownReport(since(start), deadline, outcomes);
    }

    /** Waits for the latch; false when interrupted (the interrupt is kept). */
    private static boolean await(CountDownLatch latch, long nanos) {
        try {
            latch.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void work(ConcurrentLinkedQueue<Connection> queue, CountDownLatch finished, long end) {
        Connection c;
        while ((c = queue.poll()) != null) {
            try {
                long left = end - System.nanoTime();
                if (left > 0) {
                    endGracefully(c, Duration.ofNanos(left));
                } else {
                    endNow(c);
                }
            } finally {
                finished.countDown();
            }
        }
    }

    private static void endGracefully(Connection c, Duration remaining) {
        try {
            ConnectionState s = c.state();
            switch (s) {
                case NOT_INITIALISED -> c.close();
                case CONNECTING, SECURING -> c.drop();
                case DISCONNECTED -> {
                    // ended on its own meanwhile
                }
                default -> c.disconnect(remaining, BusyPolicy.WAIT);
            }
        } catch (RuntimeException | LinkageError e) {
            // the state moved under us (another thread connected or ended it), or a broken plugin: end it now
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

    private static void stop(List<Thread> workers) {
        long until = System.nanoTime() + WORKER_GRACE_NANOS;
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return; // daemon threads finishing a dropped connection; they exit on their own
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
