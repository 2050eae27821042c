package dev.unplug.core;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import org.apiguardian.api.API;

/**
 * Hears about every connection a {@link PluginHost} opens. Called synchronously on the thread that caused the
 * event (the opener, the connection's own thread, or a shutdown worker), possibly from several threads at once:
 * keep it short, thread-safe and non-blocking. An exception thrown by a listener is ignored, so a listener can
 * never break the host or a connection. Every method has an empty default.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface HostListener {

    /**
     * The host opened a connection (not connected yet).
     *
     * @param connection the new connection, never null
     */
    default void opened(Connection connection) {
    }

    /**
     * A tracked connection changed state.
     *
     * @param connection the connection, never null
     * @param from the previous state
     * @param to the new state
     */
    default void stateChanged(Connection connection, ConnectionState from, ConnectionState to) {
    }

    /**
     * A tracked connection ended; the host no longer tracks it. Called once per connection.
     *
     * @param connection the connection, never null
     * @param outcome how it ended, never null
     */
    default void disconnected(Connection connection, DisconnectOutcome outcome) {
    }

    /**
     * A {@link PluginHost#shutdown} finished: every connection it found has ended, as the report says (each was
     * also announced to {@link #disconnected}). Called on the thread that called {@code shutdown}.
     *
     * @param report the shutdown's report, never null
     */
    default void shutdown(ShutdownReport report) {
    }
}
