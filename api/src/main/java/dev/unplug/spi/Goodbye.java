package dev.unplug.spi;

import static dev.unplug.api.ConnectionState.DISCONNECTING;

import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One graceful goodbye under a deadline: the deadline timer aborts the transport; the outcome is decided once,
 * when the answer (or its failure) is known, and the transport released. Package-private collaborator of
 * {@link AbstractConnection}; thread-safe.
 */
final class Goodbye {

    private final Lifecycle life;
    private final AbstractConnection c;
    private final long start;
    private final long end;
    private final Duration deadline;
    private final AtomicBoolean deadlinePassed = new AtomicBoolean();
    private final Timers.Task timer;

    Goodbye(Lifecycle life, long start, long end, Duration deadline) {
        this.life = life;
        this.c = life.c;
        this.start = start;
        this.end = end;
        this.deadline = deadline;
        this.timer = Timers.schedule(() -> {
            deadlinePassed.set(true);
            c.abortTransport(false);
        }, end - System.nanoTime());
        life.goodbye = this;
    }

    void cancelTimer() {
        timer.cancel();
    }

    /**
     * Sends the goodbye. Waiting: reads the answer too. Deferred: returns null when the answer is pending.
     *
     * @return the outcome, or null when deferred and the answer has not arrived
     */
    DisconnectOutcome send(boolean deferred) {
        GoodbyeReply reply;
        try {
            // announce the goodbye before it can be sent, then look: a drop that ended the connection before
            // the announcement sees no goodbye and none is sent (both sides write, then read: volatile)
            life.goodbyeStarted = true;
            if (life.state.get() != DISCONNECTING) {
                throw new UnplugException(ErrorKind.CONNECTION_DROPPED, life.shownUri + " was dropped before its"
                        + " goodbye");
            }
            reply = deferred ? c.sendGoodbye(remaining()) : c.sayGoodbye(remaining());
            if (reply == null && deferred) {
                return null;
            }
        } catch (Exception e) {
            return finish(null, e);
        }
        return finish(reply, null);
    }

    /** Reads the answer of a deferred goodbye and decides the outcome; one reader at a time. */
    synchronized DisconnectOutcome collect() {
        GoodbyeReply reply;
        try {
            if (life.state.get() != DISCONNECTING) {
                timer.cancel();
                return life.ending.join();
            }
            reply = c.readGoodbye(remaining());
        } catch (Exception e) {
            return finish(null, e);
        }
        return finish(reply, null);
    }

    private Duration remaining() {
        return Duration.ofNanos(Math.max(1, end - System.nanoTime()));
    }

    private DisconnectOutcome finish(GoodbyeReply reply, Exception failure) {
        timer.cancel();
        try {
            c.releaseTransport();
        } catch (Exception | LinkageError e) {
            Observer.misbehaved(life.pluginId, life.shownUri, "releaseTransport failed (the socket is closed anyway)",
                    e);
        }
        c.abortTransport(false);
        Duration elapsed = Lifecycle.since(start);
        DisconnectOutcome outcome;
        if (failure == null && reply == null) {
            failure = new UnplugException(ErrorKind.UNEXPECTED, life.pluginId + " plugin returned no goodbye reply");
        }
        if (failure == null && reply.isAccepted()) {
            outcome = DisconnectOutcome.clean(elapsed, reply.text().orElse(null));
        } else if (failure == null) {
            outcome = DisconnectOutcome.refused(elapsed, reply.text().orElse(null), reply.error().orElse(null));
        } else if (deadlinePassed.get() || System.nanoTime() >= end || Failures.causedByTimeout(failure)) {
            outcome = DisconnectOutcome.escalated(elapsed, "deadline of " + deadline.toMillis()
                    + " ms passed waiting for the answer to the goodbye, so the connection was dropped",
                    Failures.lastReply(failure), new UnplugException(ErrorKind.TIMEOUT, "no answer to the"
                            + " goodbye from " + life.shownUri + " within " + deadline.toMillis() + " ms", failure));
        } else {
            UnplugException error = c.translate(failure, "goodbye");
            outcome = DisconnectOutcome.escalated(elapsed, "goodbye failed, so the connection was dropped: "
                    + error.getMessage(), Failures.lastReply(failure), error);
        }
        return life.endGracefully(outcome);
    }
}
