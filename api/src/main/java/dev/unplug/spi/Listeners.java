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
            } catch (Throwable ignored) {
                // a listener can never break a connection
            }
        }
    }

    /** Tells every listener how the connection ended; only the first call does anything. */
    void disconnected(Connection c, DisconnectOutcome outcome) {
        if (!announced.compareAndSet(false, true)) {
            return;
        }
        for (ConnectionListener l : listeners) {
            try {
                l.disconnected(c, outcome);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable ignored) {
                // a listener can never break a connection
            }
        }
    }
}
