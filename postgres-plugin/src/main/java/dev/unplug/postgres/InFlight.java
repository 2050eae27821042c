package dev.unplug.postgres;

import dev.unplug.spi.AbstractConnection.Command;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDBC work in flight on one connection, so that a drop with {@code cancelOnDrop} sends a CancelRequest only when
 * there is a statement to cancel: a session idle at the drop ends on the server when it reads the end of the stream,
 * and a CancelRequest for it would only cost the server a process of its own (PostgreSQL forks one per cancel).
 * Work this count cannot see (the application holds pgjdbc's own connection: adopted, or unwrapped to a pgjdbc type)
 * makes it answer "maybe" for the rest of the session, so such a connection is always cancelled. One CancelRequest
 * per session at most ({@link #cancelOnce()}). Thread-safe.
 */
final class InFlight {

    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean unseen;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /**
     * @param unseen whether the application may run statements this count does not see from the start (adopted)
     */
    InFlight(boolean unseen) {
        this.unseen = unseen;
    }

    /** The application got pgjdbc's own connection: from now on its statements may run unseen. */
    void handedOut() {
        unseen = true;
    }

    /** The work, counted while it runs. */
    <T> Command<T> counted(Command<T> work) {
        return () -> {
            running.incrementAndGet();
            try {
                return work.run();
            } finally {
                running.decrementAndGet();
            }
        };
    }

    /**
     * Claims the session's one CancelRequest: an abort runs more than once as a connection ends (the drop, then the
     * ending's own clean-up), and each CancelRequest costs the server a process.
     *
     * @return true for the first caller only
     */
    boolean cancelOnce() {
        return cancelled.compareAndSet(false, true);
    }

    /** Whether some work may be running now. */
    boolean any() {
        return unseen || running.get() > 0;
    }
}
