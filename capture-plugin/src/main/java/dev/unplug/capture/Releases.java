package dev.unplug.capture;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that closes the handles of dropped captures, one after another, at the lowest CPU priority
 * ({@link Niceness}). Closing a live handle unmaps its kernel ring (32 MiB by default) and unregisters its packet
 * socket, and the kernel then flushes the TLBs of every core and forces an RCU grace period on every core: twenty
 * drops at once did that twenty times at the same instant, taking the cores from connections whose deadlines fell on
 * it. Here the closes come one at a time, when the cores have time; nobody waits for them (drop() has returned once
 * the file was closed). The thread ends after 5 s idle. Thread-safe.
 */
final class Releases {

    private static final ThreadPoolExecutor ONE = one();

    private Releases() {
    }

    private static ThreadPoolExecutor one() {
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(() -> {
                Niceness.lowerThisThread();
                r.run();
            }, "unplug-capture-release");
            t.setDaemon(true);
            return t;
        });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** Runs the close on the release thread; on the caller's thread if that thread cannot take it. Never blocks. */
    static void later(Runnable close) {
        try {
            ONE.execute(close);
        } catch (RejectedExecutionException e) {
            close.run();
        }
    }
}
