package dev.unplug.spi;

import static dev.unplug.api.ConnectionState.DISCONNECTED;
import static dev.unplug.api.ConnectionState.DISCONNECTING;
import static dev.unplug.api.ConnectionState.NOT_INITIALISED;

import dev.unplug.api.BusyPolicy;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every way a connection ends on request: graceful (waiting, or deferred for a host's mass shutdown), drop and
 * close. Package-private collaborator of {@link AbstractConnection}; thread-safe.
 */
final class Disconnects {

    private final Lifecycle life;
    private final AbstractConnection c;

    Disconnects(Lifecycle life) {
        this.life = life;
        this.c = life.c;
    }

    DisconnectOutcome disconnect(Duration deadline, BusyPolicy busyPolicy) {
        Options.requireDuration("deadline", deadline);
        UnplugException.requireNonNull(busyPolicy, "busyPolicy");
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (true) {
            ConnectionState s = life.state.get();
            switch (s) {
                case NOT_INITIALISED:
                    throw new UnplugException(ErrorKind.NOT_INITIALISED,
                            life.shownUri + " was never connected: call connect() first");
                case DISCONNECTED:
                    throw new UnplugException(ErrorKind.NOT_CONNECTED, life.shownUri + " is not connected ("
                            + life.ending.getNow(null) + ")");
                case CONNECTING:
                case SECURING:
                    throw new UnplugException(ErrorKind.BUSY, life.shownUri + " is still connecting; drop() aborts"
                            + " a connect");
                case DISCONNECTING:
                    return awaitEnding(start, end, deadline);
                default:
                    break;
            }
            if (life.commandLock.isHeldByCurrentThread()) {
                throw new UnplugException(ErrorKind.BUSY, "disconnect of " + life.shownUri + " called from inside a"
                        + " command of the same thread; use drop()");
            }
            boolean locked;
            if (busyPolicy == BusyPolicy.REFUSE) {
                locked = life.commandLock.tryLock();
                if (!locked) {
                    throw new UnplugException(ErrorKind.BUSY, "a command is in flight on " + life.shownUri
                            + " and the caller asked not to wait");
                }
            } else {
                try {
                    locked = life.commandLock.tryLock(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return life.forceEnd(DisconnectOutcome.escalated(Lifecycle.since(start), "interrupted while"
                            + " waiting for the command in flight, so the connection was dropped", null,
                            c.translate(e, "disconnect")));
                }
                if (!locked) {
                    return life.forceEnd(DisconnectOutcome.escalated(Lifecycle.since(start), "deadline of "
                            + deadline.toMillis() + " ms passed while a command was in flight, so the connection was"
                            + " dropped", null, new UnplugException(ErrorKind.TIMEOUT, "disconnect deadline passed"
                            + " on " + life.shownUri)));
                }
            }
            try {
                ConnectionState now = life.state.get();
                if (now.isOpen()) {
                    try {
                        c.checkDisconnect();
                    } catch (UnplugException refused) {
                        throw refused;
                    } catch (RuntimeException e) {
                        throw new UnplugException(ErrorKind.UNEXPECTED, life.pluginId + " plugin failed deciding"
                                + " whether " + life.shownUri + " may disconnect", e);
                    }
                }
                if (now.isOpen() && life.state.compareAndSet(now, DISCONNECTING)) {
                    life.fire(now, DISCONNECTING);
                    return new Goodbye(life, start, end, deadline).send(false);
                }
                if (now == DISCONNECTED || now == DISCONNECTING) {
                    // it ended while this call waited for the command lock: a concurrent disconnect, same outcome
                    return now == DISCONNECTED ? life.ending.join() : awaitEnding(start, end, deadline);
                }
            } finally {
                life.commandLock.unlock();
            }
        }
    }

    PendingDisconnect begin(Duration deadline) {
        Options.requireDuration("deadline", deadline);
        long start = System.nanoTime();
        if (!life.state.get().isOpen() || life.commandLock.isHeldByCurrentThread() || !life.commandLock.tryLock()) {
            return null;
        }
        try {
            ConnectionState now = life.state.get();
            if (!now.isOpen()) {
                return null;
            }
            c.checkDisconnect();
            if (!life.state.compareAndSet(now, DISCONNECTING)) {
                return null;
            }
            life.fire(now, DISCONNECTING);
            Goodbye run = new Goodbye(life, start, start + deadline.toNanos(), deadline);
            DisconnectOutcome done = run.send(true);
            return new PendingDisconnect(c, done == null ? run : null);
        } finally {
            life.commandLock.unlock();
        }
    }

    /** Whether the answer of a deferred goodbye can be read now (or the connection has ended). Never blocks. */
    boolean deferredAnswerReady() {
        if (life.state.get() != DISCONNECTING) {
            return true;
        }
        try {
            return c.goodbyeAnswerReady();
        } catch (RuntimeException | LinkageError e) {
            return true; // let finish() meet the failure
        }
    }

    private DisconnectOutcome awaitEnding(long start, long end, Duration deadline) {
        try {
            return life.ending.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return life.forceEnd(DisconnectOutcome.escalated(Lifecycle.since(start), "deadline of "
                    + deadline.toMillis() + " ms passed while another disconnect was in progress, so the connection"
                    + " was dropped", null, new UnplugException(ErrorKind.TIMEOUT, "disconnect deadline passed on "
                    + life.shownUri)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return life.forceEnd(DisconnectOutcome.escalated(Lifecycle.since(start), "interrupted while another"
                    + " disconnect was in progress, so the connection was dropped", null, c.translate(e,
                    "disconnect")));
        } catch (ExecutionException e) {
            throw new UnplugException(ErrorKind.UNEXPECTED, "disconnect of " + life.shownUri + " failed", e);
        }
    }

    DisconnectOutcome drop() {
        long start = System.nanoTime();
        DisconnectOutcome outcome = life.drop(start);
        life.c.awaitAbortCleanup();
        Observer.dropped(life.pluginId, life.shownUri, System.nanoTime() - start);
        return outcome;
    }

    void close(Duration deadline) {
        try {
            ConnectionState s = life.state.get();
            switch (s) {
                case NOT_INITIALISED -> life.forceEnd(DisconnectOutcome.dropped(Duration.ZERO,
                        "closed before it was connected"));
                case CONNECTING, SECURING -> drop();
                case DISCONNECTED -> {
                    // nothing left to release
                }
                default -> disconnect(deadline, BusyPolicy.WAIT);
            }
        } catch (RuntimeException e) {
            try {
                if (life.state.get() != NOT_INITIALISED) {
                    drop();
                }
            } catch (RuntimeException ignored) {
                // close never throws
            }
        }
    }
}
