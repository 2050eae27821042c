package dev.unplug.spi;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that finish slow clean-up an abort started ({@link AbstractConnection#cleanUpLater(String, Runnable)}),
 * so that no abort waits on the caller's thread, least of all on the one deadline thread every connection of the JVM
 * shares. At most two daemon threads, which end after 5 s idle; at most {@value #MAX_QUEUED} tasks wait. Each task
 * must bound its own work (a process with a time-out, a join with a time-out). Package-private; thread-safe.
 */
final class Cleanups {

    /** The most tasks that may wait; past it a task is refused and the refusal logged. */
    static final int MAX_QUEUED = 65_536;

    private static final ThreadPoolExecutor POOL = pool();

    private Cleanups() {
    }

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor p = new ThreadPoolExecutor(2, 2, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_QUEUED), r -> {
                    Thread t = new Thread(r, "unplug-cleanup");
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /**
     * Queues the work; never blocks.
     *
     * @return false when the queue was full and the work was refused
     */
    static boolean submit(Runnable work) {
        try {
            POOL.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
