package dev.unplug.testkit.peer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * What a {@link LoopbackPeer} saw on one accepted connection: every line received (in order, without CRLF), how
 * many of them were the protocol's goodbye, and whether the connection has closed. A line is recorded before the
 * peer answers it, so once a client has read the answer to its goodbye the goodbye is already counted.
 *
 * <p>Thread-safe: the peer's thread writes, test threads read snapshots.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PeerConnection {

    private final int index;
    private final List<String> lines = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private int goodbyes;

    PeerConnection(int index) {
        this.index = index;
    }

    /** The order in which the peer accepted this connection, from 0. */
    public int index() {
        return index;
    }

    /** A snapshot of the lines received so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** How many goodbye lines were received. */
    public synchronized int goodbyes() {
        return goodbyes;
    }

    /** Whether the connection is closed (by the client, by the peer, or by {@link LoopbackPeer#close()}). */
    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * Waits until the connection is closed.
     *
     * @param timeout the most to wait
     * @return whether it is closed
     */
    public boolean awaitClosed(Duration timeout) {
        try {
            return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return isClosed();
        }
    }

    /**
     * Waits until at least {@code count} lines were received.
     *
     * @param count the number of lines
     * @param timeout the most to wait
     * @return whether that many arrived
     */
    public synchronized boolean awaitLines(int count, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (lines.size() < count) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    synchronized void record(String line, boolean goodbye) {
        lines.add(line);
        if (goodbye) {
            goodbyes++;
        }
        notifyAll();
    }

    void markClosed() {
        closed.countDown();
    }

    @Override
    public synchronized String toString() {
        return "PeerConnection#" + index + lines + (isClosed() ? " closed" : " open");
    }
}
