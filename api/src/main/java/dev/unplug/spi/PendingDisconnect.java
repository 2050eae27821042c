package dev.unplug.spi;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A graceful disconnect whose goodbye has been sent and whose answer is collected later, made by
 * {@link AbstractConnection#beginDisconnect(java.time.Duration)}: a host ending many connections polls
 * {@link #answerReady()} (cheap, never blocks) and calls {@link #finish()} once the answer has arrived, so that
 * silent servers hold no thread. Thread-safe; {@link #finish()} may be called more than once and always returns
 * the connection's one outcome.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PendingDisconnect {

    private final AbstractConnection connection;
    private final Goodbye run;

    PendingDisconnect(AbstractConnection connection, Goodbye run) {
        this.connection = connection;
        this.run = run;
    }

    /** The connection being disconnected. */
    public Connection connection() {
        return connection;
    }

    /** The outcome, once the connection has ended (answered, failed, dropped or past its deadline). */
    public Optional<DisconnectOutcome> outcome() {
        return connection.outcome();
    }

    /**
     * Whether {@link #finish()} would not wait for the server: the answer has arrived, the connection is closed,
     * or it has ended. Never blocks.
     *
     * @return whether to finish now
     */
    public boolean answerReady() {
        return run == null || connection.deferredAnswerReady();
    }

    /**
     * Reads the answer (waiting at most until the deadline) and returns the outcome; when the connection has
     * already ended, returns how it ended.
     *
     * @return the outcome, never null
     */
    public DisconnectOutcome finish() {
        if (run == null) {
            return connection.outcome().orElseThrow();
        }
        return run.collect();
    }

    @Override
    public String toString() {
        return "PendingDisconnect[" + connection + "]";
    }
}
