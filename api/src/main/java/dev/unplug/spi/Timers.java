package dev.unplug.spi;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one shared timer of the process for deadlines: a single daemon thread, never a thread per connection.
 * Tasks must not block (they close sockets).
 */
final class Timers {

    private static final ScheduledThreadPoolExecutor TIMER = create();

    private Timers() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "unplug-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return t;
    }

    static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return TIMER.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException ignored) {
                // a failing deadline task must not kill the shared timer thread
            }
        }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }
}
