package dev.unplug.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import dev.unplug.api.capture.CaptureMode;
import dev.unplug.api.capture.CaptureStatistics;
import dev.unplug.api.capture.CapturedFrame;
import dev.unplug.api.capture.FrameHandler;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One capture, from start to stop: the capture thread that reads the handle with {@code pcap_next_ex} (bounded
 * by libpcap's read timeout and woken by {@code pcap_breakloop}), the file it writes, its counters and triggers,
 * and in REAL_TIME mode the bounded queue and delivery thread. Only the capture thread touches the handle while
 * the run is alive; it flushes and closes the file on every way out (stop, trigger, error, drop), so the file
 * is always a valid pcap file. Counters have one writer each and are read by any thread.
 */
final class CaptureRun {

    /** What the run tells its device. */
    interface Owner {
        /** The run ended by itself (trigger or error): move the capture to IDLE and say why. */
        void endedByItself(CaptureRun run, String reason);

        /** A trigger paused the capture. */
        void pausedByItself(CaptureRun run, String reason);

        /**
         * The run has ended: its file is flushed and closed and its handle no longer read. An aborted device turns
         * IDLE here; whoever waits for the run's end ({@link #awaitEnd(long)}) is let go after this returns.
         */
        void exited(CaptureRun run);

        /**
         * The last thing the capture thread does, once nobody waits for it any more: an aborted device closes its
         * handle here.
         */
        void lastly(CaptureRun run);
    }

    private static final long STATS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final CapturedFrame END = new CapturedFrame(Instant.EPOCH, 0, 0, new byte[0]);

    private final Owner owner;
    private final Pointer handle;
    private final CaptureSettings settings;
    private final int linkType;
    private final Path file;
    private final Pointer dumper;
    private final Conversations conversations;
    private final BlockingQueue<CapturedFrame> queue;
    private final FrameHandler handler;
    private final Object signal = new Object();
    private final Thread thread;
    private final Thread delivery;
    private final long startNanos = System.nanoTime();
    private final long dropBase;
    private final long ifdropBase;

    private volatile boolean stopRequested;
    private volatile boolean abortRequested;
    private volatile boolean exited;
    /** Counted down once {@link Owner#exited} has returned: the file is closed and the device told. */
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean paused;
    private volatile long seen;
    private volatile long bytesSeen;
    private volatile long written;
    private volatile long bytesWritten;
    private volatile long skipped;
    private volatile long discarded;
    private volatile long drop;
    private volatile long ifdrop;
    private volatile long handlerFailures;
    private volatile String failure;

    /**
     * Prepares a run (the caller holds the device, no other run is alive): opens the file in DELAYED mode and
     * reads the kernel counters' baseline. Call {@link #begin()} to start capturing.
     */
    CaptureRun(Owner owner, Pointer handle, CaptureSettings settings, int linkType, Path file, FrameHandler handler,
            String name) {
        this.owner = owner;
        this.handle = handle;
        this.settings = settings;
        this.linkType = linkType;
        this.file = file;
        this.handler = handler;
        this.conversations = settings.mode == CaptureMode.CONVERSATION_STATISTICS ? new Conversations() : null;
        this.queue = settings.mode == CaptureMode.REAL_TIME ? new ArrayBlockingQueue<>(settings.queue) : null;
        if (file != null) {
            Pointer d = Pcap.pcap_dump_open(handle, file.toString());
            if (d == null) {
                throw new UnplugException(ErrorKind.FAILED, "cannot write capture file " + file + ": "
                        + Pcap.pcap_geterr(handle));
            }
            dumper = d;
        } else {
            dumper = null;
        }
        long[] base = settings.offline() ? new long[2] : kernelDrops();
        dropBase = base[0];
        ifdropBase = base[1];
        thread = new Thread(this::capture, "unplug-capture-" + name);
        thread.setDaemon(true);
        if (queue != null) {
            delivery = new Thread(this::deliver, "unplug-capture-delivery-" + name);
            delivery.setDaemon(true);
        } else {
            delivery = null;
        }
    }

    void begin() {
        if (delivery != null) {
            delivery.start();
        }
        thread.start();
    }

    Path file() {
        return file;
    }

    void paused(boolean p) {
        paused = p;
    }

    /** Asks the capture thread to end (it flushes and closes the file); does not wait. */
    void requestStop() {
        stopRequested = true;
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** As {@link #requestStop()}, and whatever is still queued for the handler is discarded. */
    void requestAbort() {
        abortRequested = true;
        requestStop();
    }

    boolean aborted() {
        return abortRequested;
    }

    boolean hasExited() {
        return exited;
    }

    /** Waits for the capture and delivery threads to end; true when they did in time. */
    boolean awaitExit(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            for (Thread t : delivery == null ? List.of(thread) : List.of(thread, delivery)) {
                if (t == Thread.currentThread()) {
                    continue;
                }
                long left = until - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
                if (t.isAlive()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits for the run's end as {@link Owner#exited} reports it (not for what the capture thread does after it), and
     * for the delivery thread to exit; true when both happened in time.
     */
    boolean awaitEnd(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            if (!isCaptureThread() && !ended.await(millis, TimeUnit.MILLISECONDS)) {
                return false;
            }
            if (delivery != null && delivery != Thread.currentThread()) {
                TimeUnit.NANOSECONDS.timedJoin(delivery, Math.max(1, until - System.nanoTime()));
                return !delivery.isAlive();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isCaptureThread() {
        return Thread.currentThread() == thread;
    }

    /** Why the run failed, when libpcap reported an error. */
    String failure() {
        return failure;
    }

    CaptureStatistics statistics() {
        return new CaptureStatistics(seen, bytesSeen, written, bytesWritten, skipped, discarded,
                Math.max(0, drop - dropBase), Math.max(0, ifdrop - ifdropBase),
                conversations == null ? List.of() : conversations.snapshot());
    }

    // ------------------------------------------------------------------ the capture thread

    private void capture() {
        Memory headerOut = new Memory(Native.POINTER_SIZE);
        Memory dataOut = new Memory(Native.POINTER_SIZE);
        String endedBecause = null;
        long nextStats = System.nanoTime() + STATS_EVERY_NANOS;
        long frameIndex = 0;
        try {
            while (!stopRequested) {
                endedBecause = durationTrigger();
                if (endedBecause != null) {
                    break;
                }
                if (settings.rate > 0 && !pace(frameIndex)) {
                    continue;
                }
                int r = Pcap.pcap_next_ex(handle, headerOut, dataOut);
                if (r == Pcap.NEXT_PACKET) {
                    Pointer h = headerOut.getPointer(0);
                    Pointer d = dataOut.getPointer(0);
                    long micros = h.getNativeLong(0).longValue() * 1_000_000L
                            + h.getNativeLong(Native.LONG_SIZE).longValue();
                    int caplen = h.getInt(2L * Native.LONG_SIZE);
                    int len = h.getInt(2L * Native.LONG_SIZE + 4);
                    frameIndex++;
                    endedBecause = frame(h, d, caplen, len, micros);
                    if (endedBecause != null) {
                        break;
                    }
                } else if (r == Pcap.NEXT_BREAK) {
                    if (settings.offline() && !stopRequested) {
                        idleUntilStopped(); // the offline source has ended: a quiet wire from now on
                    }
                } else if (r != Pcap.NEXT_TIMEOUT) {
                    failure = Pcap.pcap_geterr(handle);
                    endedBecause = "capture failed: " + failure;
                    break;
                }
                if (!settings.offline() && System.nanoTime() >= nextStats) {
                    readKernelDrops();
                    nextStats = System.nanoTime() + STATS_EVERY_NANOS;
                }
            }
        } finally {
            finish();
            if (endedBecause != null && !stopRequested) {
                owner.endedByItself(this, endedBecause);
            }
            exited = true;
            try {
                owner.exited(this);
            } finally {
                ended.countDown();
            }
            owner.lastly(this);
        }
    }

    /** Handles one frame; returns why the capture ends by itself now, or null. */
    private String frame(Pointer h, Pointer d, int caplen, int len, long micros) {
        seen++;
        bytesSeen += caplen;
        if (paused) {
            skipped++;
            return null;
        }
        byte[] bytes = null;
        switch (settings.mode) {
            case DELAYED -> {
                Pcap.pcap_dump(dumper, h, d);
                written++;
                bytesWritten += caplen;
            }
            case REAL_TIME -> {
                bytes = d.getByteArray(0, caplen);
                CapturedFrame f = new CapturedFrame(Instant.ofEpochSecond(micros / 1_000_000L,
                        (micros % 1_000_000L) * 1_000L), len, linkType, bytes);
                if (!queue.offer(f)) {
                    discarded++;
                }
            }
            case CONVERSATION_STATISTICS -> {
                bytes = d.getByteArray(0, caplen);
                conversations.count(linkType, bytes, len);
                written++;
                bytesWritten += caplen;
            }
            default -> {
                written++;
                bytesWritten += caplen;
            }
        }
        if (settings.stopAfterFrames > 0 && seen - skipped >= settings.stopAfterFrames) {
            return "trigger " + CaptureSettings.STOP_AFTER_FRAMES + "=" + settings.stopAfterFrames + " reached";
        }
        if (settings.stopAfterBytes > 0 && bytesSeen >= settings.stopAfterBytes) {
            return "trigger " + CaptureSettings.STOP_AFTER_BYTES + "=" + settings.stopAfterBytes + " reached";
        }
        if (settings.pauseOnPattern != null) {
            byte[] b = bytes != null ? bytes : d.getByteArray(0, caplen);
            if (contains(b, settings.pauseOnPattern)) {
                paused = true;
                owner.pausedByItself(this, "trigger " + CaptureSettings.PAUSE_ON_PATTERN + " matched frame " + seen);
            }
        }
        return null;
    }

    private String durationTrigger() {
        if (settings.stopAfter != null && System.nanoTime() - startNanos >= settings.stopAfter.toNanos()) {
            return "trigger " + CaptureSettings.STOP_AFTER + "=" + settings.stopAfter.toMillis() + "ms reached";
        }
        return null;
    }

    /** Waits for the offline frame's turn at the configured rate; false when woken early (to re-check). */
    private boolean pace(long index) {
        long due = startNanos + index * 1_000_000_000L / settings.rate;
        long wait = due - System.nanoTime();
        if (wait <= 0) {
            return true;
        }
        waitOnSignal(wait);
        return System.nanoTime() >= due;
    }

    private void idleUntilStopped() {
        long wait = settings.poll.toNanos();
        if (settings.stopAfter != null) {
            wait = Math.min(wait, Math.max(1, startNanos + settings.stopAfter.toNanos() - System.nanoTime()));
        }
        waitOnSignal(wait);
    }

    private void waitOnSignal(long nanos) {
        synchronized (signal) {
            if (stopRequested) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(signal, nanos);
            } catch (InterruptedException e) {
                stopRequested = true;
            }
        }
    }

    /** Flushes and closes the file, reads the final counters and ends delivery; runs on every way out. */
    private void finish() {
        if (dumper != null) {
            Pcap.pcap_dump_flush(dumper);
            Pcap.pcap_dump_close(dumper);
        }
        if (!settings.offline()) {
            readKernelDrops();
        }
        if (queue != null) {
            if (abortRequested) {
                discarded += queue.size();
                queue.clear();
            }
            try {
                // the handler drains what was queued before the end marker; a drop does not wait for it
                boolean queued = false;
                while (!queued && !abortRequested && delivery.isAlive()) {
                    queued = queue.offer(END, 10, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (abortRequested) {
                delivery.interrupt();
            }
        }
    }

    private void deliver() {
        try {
            while (true) {
                CapturedFrame f = queue.take();
                if (f == END || abortRequested) {
                    return;
                }
                try {
                    handler.onFrame(f);
                } catch (VirtualMachineError fatal) {
                    throw fatal;
                } catch (Throwable t) {
                    handlerFailures++;
                }
                written++;
                bytesWritten += f.capturedLength();
            }
        } catch (InterruptedException e) {
            // the device is going away
        }
    }

    long handlerFailures() {
        return handlerFailures;
    }

    private void readKernelDrops() {
        long[] d = kernelDrops();
        drop = d[0];
        ifdrop = d[1];
    }

    private long[] kernelDrops() {
        Memory stats = new Memory(12); // struct pcap_stat { u_int ps_recv, ps_drop, ps_ifdrop; }
        stats.clear();
        if (Pcap.pcap_stats(handle, stats) != 0) {
            return new long[] {drop, ifdrop};
        }
        return new long[] {Integer.toUnsignedLong(stats.getInt(4)), Integer.toUnsignedLong(stats.getInt(8))};
    }

    static boolean contains(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
