package dev.unplug.wds;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads the wds clients' loops run on (receiving, control), kept between clients rather than started and ended
 * with each: a thread's end unmaps its stack, which flushes the TLBs of every core, and twenty clients dropped at
 * the same instant ended forty threads there, taking the cores from connections whose deadlines fell on it. A loop
 * gets an idle thread when there is one and a new one otherwise (never waits: the loops run for a client's whole
 * life); a thread idle for {@value #IDLE_SECONDS} s ends. Idle threads wait parked, without spinning. Thread-safe.
 */
final class ClientThreads {

    private static final int IDLE_SECONDS = 60;
    private static final ConcurrentLinkedDeque<Worker> IDLE = new ConcurrentLinkedDeque<>();

    private ClientThreads() {
    }

    /** One loop, running or run: what a client waits for and asks about. */
    static final class Job {
        private final Runnable body;
        private final String name;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Thread runner;

        private Job(Runnable body, String name) {
            this.body = body;
            this.name = name;
        }

        /** Whether the loop has not returned yet. */
        boolean isAlive() {
            return done.getCount() > 0;
        }

        /** Whether the calling thread is the one running this loop. */
        boolean isCurrent() {
            return runner == Thread.currentThread();
        }

        /** Waits, bounded, for the loop to return; at once when called from the loop itself. */
        void join(long millis) throws InterruptedException {
            if (!isCurrent()) {
                done.await(millis, TimeUnit.MILLISECONDS);
            }
        }

        /** Runs the loop; the thread is left as it found it (name, no interrupt pending). */
        private void run(Thread on) {
            runner = on;
            on.setName(name);
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                Thread.UncaughtExceptionHandler h = on.getUncaughtExceptionHandler();
                if (h != null) {
                    h.uncaughtException(on, e);
                }
            } finally {
                runner = null;
                Thread.interrupted(); // a loop that kept an interrupt for its caller must not pass it to the next
                on.setName("unplug-wds-client-idle");
            }
        }
    }

    /** Runs the loop on an idle thread, or on a new one; never blocks. */
    static Job start(Runnable body, String name) {
        Job job = new Job(body, name);
        for (Worker w; (w = IDLE.pollFirst()) != null; ) {
            if (w.offer(job)) {
                return job;
            }
        }
        Worker w = new Worker(job);
        w.start();
        return job;
    }

    private static final class Worker extends Thread {
        private static final int BUSY = 0;
        private static final int WAITING = 1;
        private static final int ENDED = 2;

        private final AtomicInteger state = new AtomicInteger(BUSY);
        private volatile Job next;

        Worker(Job first) {
            super("unplug-wds-client");
            setDaemon(true);
            next = first;
        }

        /** Hands this waiting thread a job; false when it is not waiting (taken, or ending). */
        boolean offer(Job job) {
            if (!state.compareAndSet(WAITING, BUSY)) {
                return false;
            }
            next = job;
            LockSupport.unpark(this);
            return true;
        }

        @Override
        public void run() {
            for (Job job = next; job != null; job = awaitNext(job)) {
                next = null;
                job.run(this);
            }
        }

        /**
         * Offers this thread for the next job, then lets whoever waits for the one that ran go (so that a client
         * that joined its loops finds this thread idle), then waits for the next job: null when none came for
         * {@value #IDLE_SECONDS} s and this thread ends.
         */
        private Job awaitNext(Job ran) {
            state.set(WAITING);
            IDLE.addFirst(this); // most recently used first: the others reach their idle time and end
            ran.done.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
            while (true) {
                Job job = next;
                if (job != null) {
                    return job;
                }
                long left = end - System.nanoTime();
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                } else if (state.compareAndSet(WAITING, ENDED)) {
                    IDLE.remove(this);
                    return null;
                } else {
                    LockSupport.park(this); // an offer won the race: its job is on its way
                }
            }
        }
    }
}
