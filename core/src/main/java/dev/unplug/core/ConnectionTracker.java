package dev.unplug.core;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections a host has opened and not yet seen end, and the host's listeners. One shared
 * {@link ConnectionListener} is registered on every connection: it forwards events and forgets a connection when
 * it ends. No thread per connection. Thread-safe.
 */
final class ConnectionTracker implements ConnectionListener {

    private final Map<Connection, Long> open = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<HostListener> listeners = new CopyOnWriteArrayList<>();
    private volatile String refusal;

    /**
     * Starts tracking a newly opened connection and announces it.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_STATE} when the host no longer accepts connections (the
     *         connection is closed before this is thrown)
     */
    void track(Connection c) {
        open.put(c, sequence.incrementAndGet());
        c.addListener(this);
        String refused = refusal;
        if (refused != null) {
            open.remove(c);
            c.removeListener(this);
            c.close();
            throw new UnplugException(ErrorKind.INVALID_STATE, refused);
        }
        if (c.outcome().isPresent()) {
            open.remove(c);
        }
        for (HostListener l : listeners) {
            try {
                l.opened(c);
            } catch (RuntimeException | LinkageError ignored) {
                // a listener never breaks the host
            }
        }
    }

    /** From now on {@link #track} refuses connections with this message. */
    void refuse(String why) {
        refusal = why;
    }

    /** The message when the host refuses new connections, or null. */
    String refusal() {
        return refusal;
    }

    /** The tracked connections, oldest first. */
    List<Connection> snapshot() {
        return open.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey).toList();
    }

    void addListener(HostListener l) {
        if (!listeners.contains(l)) {
            listeners.add(l);
        }
    }

    void removeListener(HostListener l) {
        listeners.remove(l);
    }

    @Override
    public void stateChanged(Connection c, ConnectionState from, ConnectionState to) {
        for (HostListener l : listeners) {
            try {
                l.stateChanged(c, from, to);
            } catch (RuntimeException | LinkageError ignored) {
                // a listener never breaks a connection
            }
        }
    }

    @Override
    public void disconnected(Connection c, DisconnectOutcome outcome) {
        open.remove(c);
        c.removeListener(this);
        for (HostListener l : listeners) {
            try {
                l.disconnected(c, outcome);
            } catch (RuntimeException | LinkageError ignored) {
                // a listener never breaks a connection
            }
        }
    }

    void shutdown(ShutdownReport report) {
        for (HostListener l : listeners) {
            try {
                l.shutdown(report);
            } catch (RuntimeException | LinkageError ignored) {
                // a listener never breaks the host
            }
        }
    }
}
