package dev.unplug.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one shared timer of the process for deadlines: a single daemon thread, never a thread per connection.
 * Tasks must not block (they close sockets).
 *
 * <p>Built for deadlines that are almost always cancelled before they pass (a connect or a goodbye that finishes
 * in time): scheduling wakes the timer thread only when the new deadline is earlier than the one it already sleeps
 * until, and cancelling only forgets the task's action, so the common case (schedule, then cancel) costs no
 * thread wake-up and no context switch on the caller's path. A {@code ScheduledThreadPoolExecutor} that removes
 * cancelled tasks wakes its thread at every schedule into an empty queue, which measured about 10 % of a graceful
 * disconnect on two cores (see BENCHMARKS.md). Cancelled tasks are dropped when they reach the head of the queue,
 * and all at once when they outnumber the live ones, so memory stays bounded. Thread-safe.
 */
final class Timers {

    /** Purge the queue of cancelled tasks when there are at least this many and they are the majority. */
    private static final int PURGE_AT = 64;
    private static final long IDLE = Long.MAX_VALUE;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Condition CHANGED = LOCK.newCondition();
    private static final PriorityQueue<Task> QUEUE = new PriorityQueue<>((a, b) -> Long.compare(a.due - b.due, 0));
    private static final AtomicInteger CANCELLED = new AtomicInteger();
    /** When the timer thread wakes next (System.nanoTime), or IDLE while it waits for work; guarded by LOCK. */
    private static long wakeAt = IDLE;
    private static Thread thread;

    private Timers() {
    }

    /** A scheduled deadline; {@link #cancel} forgets its action. */
    static final class Task {
        private final long due;
        private final AtomicReference<Runnable> action;

        private Task(long due, Runnable action) {
            this.due = due;
            this.action = new AtomicReference<>(action);
        }

        /** Forgets the action if it has not run: it never runs after this returns. Idempotent. */
        void cancel() {
            if (action.getAndSet(null) != null) {
                CANCELLED.incrementAndGet();
            }
        }
    }

    /**
     * Runs {@code task} on the timer thread once {@code delayNanos} have passed, unless cancelled first.
     *
     * @param delayNanos the delay; negative means now; very large values saturate
     */
    static Task schedule(Runnable task, long delayNanos) {
        long now = System.nanoTime();
        long delay = Math.max(0, delayNanos);
        long due = now + Math.min(delay, Long.MAX_VALUE / 4); // keeps due - other due free of overflow
        Task t = new Task(due, task);
        LOCK.lock();
        try {
            if (CANCELLED.get() >= PURGE_AT && CANCELLED.get() * 2 > QUEUE.size()) {
                purge();
            }
            QUEUE.add(t);
            if (thread == null || !thread.isAlive()) { // started on first use; restarted should it ever die
                thread = new Thread(Timers::loop, "unplug-deadlines");
                thread.setDaemon(true);
                thread.start();
            }
            if (wakeAt == IDLE || due - wakeAt < 0) {
                wakeAt = due;
                CHANGED.signal();
            }
        } finally {
            LOCK.unlock();
        }
        return t;
    }

    /** How many tasks the queue holds, cancelled ones included (for tests). */
    static int queued() {
        LOCK.lock();
        try {
            return QUEUE.size();
        } finally {
            LOCK.unlock();
        }
    }

    /** Drops every cancelled task; LOCK held. */
    private static void purge() {
        int dropped = 0;
        for (var it = QUEUE.iterator(); it.hasNext();) {
            if (it.next().action.get() == null) {
                it.remove();
                dropped++;
            }
        }
        CANCELLED.addAndGet(-dropped);
    }

    private static void loop() {
        List<Runnable> due = new ArrayList<>();
        while (true) {
            LOCK.lock();
            try {
                long now = System.nanoTime();
                Task head;
                while ((head = QUEUE.peek()) != null && (head.action.get() == null || head.due - now <= 0)) {
                    QUEUE.poll();
                    Runnable r = head.action.getAndSet(null); // from here a cancel() finds nothing to forget
                    if (r == null) {
                        CANCELLED.decrementAndGet();
                    } else {
                        due.add(r);
                    }
                }
                if (due.isEmpty()) {
                    wakeAt = head == null ? IDLE : head.due;
                    try {
                        if (head == null) {
                            CHANGED.await();
                        } else {
                            CHANGED.awaitNanos(head.due - now);
                        }
                    } catch (InterruptedException e) {
                        // a daemon thread nobody interrupts; keep serving deadlines
                    }
                    continue;
                }
            } finally {
                LOCK.unlock();
            }
            for (Runnable r : due) {
                try {
                    r.run();
                } catch (Throwable ignored) {
                    // whatever a deadline task throws, the shared timer thread serves the other deadlines
                }
            }
            due.clear();
        }
    }
}
