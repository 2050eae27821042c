package dev.unplug.testkit;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The connections a test made, so that {@link UnplugExtension} can fail the test when one is left open. Every
 * connection a plugin host opens during the test is tracked without asking; a connection made straight from a
 * provider is not, so a test receives the tracker as a parameter and wraps it in {@link #track(Connection)}:
 *
 * <pre>{@code
 * @ExtendWith(UnplugExtension.class)
 * class SmtpTest {
 *     @Test
 *     void sendsAndQuits(ConnectionTracker tracker) {
 *         Connection c = tracker.track(provider.open(uri, Options.empty()));
 *         c.connect();
 *         ...
 *         c.disconnect();   // without it, the extension fails the test (and drops c)
 *     }
 * }
 * }</pre>
 *
 * <p>A connection counts as left open in any state but {@link ConnectionState#NOT_INITIALISED} (it holds
 * nothing) and {@link ConnectionState#DISCONNECTED}. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ConnectionTracker {

    private final Object lock = new Object();
    private final List<Connection> tracked = new ArrayList<>();
    private final Set<Connection> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile boolean watchHosts = true;

    ConnectionTracker() {
    }

    /**
     * Tracks a connection; tracking one twice (a host's connection is tracked already) changes nothing.
     *
     * @param connection the connection
     * @return the same connection
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null
     */
    public <C extends Connection> C track(C connection) {
        UnplugException.requireNonNull(connection, "connection");
        synchronized (lock) {
            if (seen.add(connection)) {
                tracked.add(connection);
            }
        }
        return connection;
    }

    void watchHosts(boolean on) {
        watchHosts = on;
    }

    boolean watchesHosts() {
        return watchHosts;
    }

    /** Every connection tracked so far, in order. */
    public List<Connection> tracked() {
        synchronized (lock) {
            return List.copyOf(tracked);
        }
    }

    /** The tracked connections that are still open now. */
    public List<Connection> stillOpen() {
        List<Connection> open = new ArrayList<>();
        for (Connection c : tracked()) {
            ConnectionState s = c.state();
            if (s != ConnectionState.NOT_INITIALISED && s != ConnectionState.DISCONNECTED) {
                open.add(c);
            }
        }
        return open;
    }

    /**
     * Drops every connection still open and describes each: plugin id, redacted URI and the state it was left in.
     *
     * @return one line per connection that was left open; empty when none was
     */
    List<String> dropLeftovers() {
        List<String> leaks = new ArrayList<>();
        for (Connection c : stillOpen()) {
            String what = describe(c);
            try {
                c.drop();
            } catch (RuntimeException e) {
                what += " (drop failed: " + e + ")";
            }
            leaks.add(what);
        }
        return leaks;
    }

    private static String describe(Connection c) {
        ConnectionState state = c.state();
        String plugin;
        String uri;
        try {
            plugin = c.pluginId();
            uri = Redaction.text(c.uri());
        } catch (RuntimeException e) {
            plugin = c.getClass().getName();
            uri = "(uri unavailable: " + e.getClass().getSimpleName() + ")";
        }
        return plugin + " connection " + uri + " left in state " + state;
    }
}
