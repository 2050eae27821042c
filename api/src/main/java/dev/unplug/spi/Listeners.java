package dev.unplug.spi;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.UnplugException;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection's listeners: state changes to all of them, the ending exactly once. Whatever a listener throws
 * (except a virtual machine error) is ignored, so a listener can never break a connection. Thread-safe.
 */
final class Listeners {

    private final Set<ConnectionListener> listeners = new CopyOnWriteArraySet<>();
    private final AtomicBoolean announced = new AtomicBoolean();

    void add(ConnectionListener listener) {
        listeners.add(UnplugException.requireNonNull(listener, "listener"));
    }

    void remove(ConnectionListener listener) {
        listeners.remove(UnplugException.requireNonNull(listener, "listener"));
    }

    void stateChanged(Connection c, ConnectionState from, ConnectionState to) {
        for (ConnectionListener l : listeners) {
            try {
                l.stateChanged(c, from, to);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                // a listener can never break a connection; what it threw is logged at WARNING
                Observer.misbehaved(c.pluginId(), c.uri(), "a listener threw on " + from + " -> " + to, t);
            }
        }
    }

    /** Whether this call is the first to announce the ending (which happens exactly once). */
    boolean claimAnnouncement() {
        return announced.compareAndSet(false, true);
    }

    /** Tells every listener how the connection ended; call once, after {@link #claimAnnouncement()}. */
    void disconnected(Connection c, DisconnectOutcome outcome) {
        for (ConnectionListener l : listeners) {
            try {
                l.disconnected(c, outcome);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                Observer.misbehaved(c.pluginId(), c.uri(), "a listener threw on the ending", t);
            }
        }
    }
}
