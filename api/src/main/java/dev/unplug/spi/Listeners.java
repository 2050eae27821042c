package dev.unplug.spi;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.UnplugException;
import java.util.Arrays;

/**
 * A connection's listeners: state changes to all of them, the ending exactly once. Whatever a listener throws
 * (except a virtual machine error) is ignored, so a listener can never break a connection. Thread-safe.
 */
final class Listeners {

    private static final ConnectionListener[] NONE = {};

    /** Copy on write by hand (a set: each listener once): one array per connection, read without locking. */
    private volatile ConnectionListener[] listeners = NONE;
    private boolean announced; // guarded by this

    synchronized void add(ConnectionListener listener) {
        UnplugException.requireNonNull(listener, "listener");
        ConnectionListener[] now = listeners;
        for (ConnectionListener l : now) {
            if (l.equals(listener)) {
                return;
            }
        }
        ConnectionListener[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = listener;
        listeners = more;
    }

    synchronized void remove(ConnectionListener listener) {
        UnplugException.requireNonNull(listener, "listener");
        ConnectionListener[] now = listeners;
        for (int i = 0; i < now.length; i++) {
            if (now[i].equals(listener)) {
                ConnectionListener[] fewer = new ConnectionListener[now.length - 1];
                System.arraycopy(now, 0, fewer, 0, i);
                System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                listeners = fewer.length == 0 ? NONE : fewer;
                return;
            }
        }
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
    synchronized boolean claimAnnouncement() {
        if (announced) {
            return false;
        }
        announced = true;
        return true;
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
