package dev.unplug.api;

import org.apiguardian.api.API;

/**
 * Receives a connection's state changes and its final outcome. Called synchronously on the thread that
 * caused the change; keep it short and never block. An exception thrown by a listener is ignored, so a
 * listener can never break a connection. Both methods have empty defaults.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface ConnectionListener {

    /**
     * The state changed.
     *
     * @param connection the connection, never null
     * @param from the previous state
     * @param to the new state
     */
    default void stateChanged(Connection connection, ConnectionState from, ConnectionState to) {
    }

    /**
     * The connection ended (including a close before it was ever connected); called exactly once.
     *
     * @param connection the connection, never null
     * @param outcome how it ended, never null
     */
    default void disconnected(Connection connection, DisconnectOutcome outcome) {
    }
}
