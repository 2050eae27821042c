package dev.unplug.spi;

import static dev.unplug.api.ConnectionState.AUTHENTICATED;
import static dev.unplug.api.ConnectionState.BUSY;
import static dev.unplug.api.ConnectionState.CONNECTED;
import static dev.unplug.api.ConnectionState.CONNECTING;
import static dev.unplug.api.ConnectionState.DISCONNECTED;
import static dev.unplug.api.ConnectionState.DISCONNECTING;
import static dev.unplug.api.ConnectionState.NOT_INITIALISED;
import static dev.unplug.api.ConnectionState.SECURING;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection's state machine: the atomic state and its transitions (compare-and-set, each told to the log and
 * the listeners), connecting, and the one ending (outcome decided once, transport aborted, announced once).
 * Package-private collaborator of {@link AbstractConnection}; thread-safe.
 */
final class Lifecycle {

    final AbstractConnection c;
    final String pluginId;
    final URI shownUri;
    final AtomicReference<ConnectionState> state = new AtomicReference<>(NOT_INITIALISED);
    final CompletableFuture<DisconnectOutcome> ending = new CompletableFuture<>();
    final Listeners listeners = new Listeners();
    /** One command at a time; disconnects wait for it. */
    final ReentrantLock commandLock = new ReentrantLock();
    /** Set before the goodbye may reach the wire; read after the state has become DISCONNECTED (see forceEnd). */
    volatile boolean goodbyeStarted;
    /** Whether a graceful disconnect began (the state went to DISCONNECTING), for the ending's log and event. */
    private volatile boolean gracefulBegun;
    /** The goodbye in progress, whose deadline timer an earlier ending cancels. */
    volatile Goodbye goodbye;

    /** Whether a drop resets the connection (option {@link Options#RESET_ON_DROP}). */
    private final boolean resetOnDrop;

    /**
     * What the first drop in a JVM would otherwise load on its way (a cold drop measured 3.6x a cold raw close, most
     * of it class loading), loaded by the first connect instead: a connect does I/O anyway, where an open must stay
     * cheap (the discovery figure times the first open).
     */
    private static final class DropPath {
        static {
            DisconnectOutcome.dropped(Duration.ZERO, dropReason(BUSY));
            DisconnectOutcome.Kind.values();
            ErrorKind.values();
        }

        static void load() {
            // the class initialiser above is the work
        }
    }

    /** Why a drop from a state ended it, in the outcome's words. */
    private static String dropReason(ConnectionState s) {
        return switch (s) {
            case CONNECTING, SECURING -> "dropped on request while connecting";
            case BUSY -> "dropped on request while a command was in flight";
            case DISCONNECTING -> "dropped on request during a graceful disconnect";
            default -> "dropped on request";
        };
    }

    Lifecycle(AbstractConnection c, String pluginId, URI shownUri, boolean resetOnDrop) {
        this.c = c;
        this.pluginId = pluginId;
        this.shownUri = shownUri;
        this.resetOnDrop = resetOnDrop;
    }

    void connect(Duration timeout) {
        DropPath.load();
        if (!state.compareAndSet(NOT_INITIALISED, CONNECTING)) {
            ConnectionState s = state.get();
            if (s == DISCONNECTED || s == DISCONNECTING) {
                throw new UnplugException(ErrorKind.INVALID_STATE, shownUri + " has ended; connections are"
                        + " single-use, open a new one");
            }
            throw new UnplugException(ErrorKind.ALREADY_CONNECTED, shownUri + " is already " + name(s));
        }
        fire(NOT_INITIALISED, CONNECTING);
        long start = System.nanoTime();
        // 0 connecting, 1 finished in time, 2 timed out: whoever moves it first decides
        AtomicInteger phase = new AtomicInteger();
        Timers.Task guard = Timers.schedule(() -> {
            if (phase.compareAndSet(0, 2)) {
                c.abortTransport(false);
            }
        }, timeout.toNanos());
        try {
            c.openTransport(timeout);
            guard.cancel();
            if (!phase.compareAndSet(0, 1)) {
                throw new SocketTimeoutException("connect timeout passed");
            }
            while (true) {
                ConnectionState s = state.get();
                if (s == CONNECTING || s == SECURING) {
                    if (state.compareAndSet(s, CONNECTED)) {
                        fire(s, CONNECTED);
                        break;
                    }
                } else if (s == DISCONNECTED || s == DISCONNECTING) {
                    throw new UnplugException(ErrorKind.CONNECTION_DROPPED,
                            shownUri + " was dropped while connecting");
                } else {
                    break;
                }
            }
        } catch (Exception e) {
            guard.cancel();
            boolean timedOut = !phase.compareAndSet(0, 1) && phase.get() == 2;
            c.abortTransport(false);
            UnplugException error;
            if (isEnded()) {
                error = droppedDuring("connect", e);
            } else if (timedOut && e instanceof UnplugException own && own.kind() == ErrorKind.TIMEOUT) {
                error = own; // the plugin's own word on why it timed out says more than the timer's
            } else if (timedOut) {
                error = new UnplugException(ErrorKind.TIMEOUT, pluginId + " connect to " + shownUri
                        + " did not finish within the connect timeout of " + timeout.toMillis() + " ms", e);
            } else {
                error = c.translate(e, "connect");
            }
            forceEnd(DisconnectOutcome.failed(since(start), "connect failed: " + error.getMessage(),
                    error.serverReply().orElse(null), error));
            throw error;
        }
    }

    /** {@link AbstractConnection#advance(ConnectionState)}; {@code resume} records it while a command runs. */
    void advance(ConnectionState to, Commands commands) {
        if (to != SECURING && to != CONNECTED && to != AUTHENTICATED) {
            throw new UnplugException(ErrorKind.UNEXPECTED, pluginId + " plugin tried to advance to " + to);
        }
        while (true) {
            ConnectionState s = state.get();
            if (s == DISCONNECTED || s == DISCONNECTING) {
                throw new UnplugException(ErrorKind.CONNECTION_DROPPED, shownUri + " was dropped while connecting");
            }
            if (s == BUSY) {
                commands.resumeState = to;
                return;
            }
            if (s == to) {
                return;
            }
            if (s == NOT_INITIALISED) {
                throw new UnplugException(ErrorKind.NOT_INITIALISED, shownUri + " is not connecting");
            }
            if (state.compareAndSet(s, to)) {
                fire(s, to);
                return;
            }
        }
    }

    /**
     * Ends the connection now with the given outcome, unless it has already ended: state
     * {@link ConnectionState#DISCONNECTED}, transport aborted, listeners told. Never blocks on I/O.
     *
     * @return the connection's outcome (the first ending's when it had already ended)
     */
    DisconnectOutcome forceEnd(DisconnectOutcome outcome) {
        while (true) {
            ConnectionState s = state.get();
            if (s == DISCONNECTED) {
                c.abortTransport(false);
                return ending.join();
            }
            if (s == NOT_INITIALISED) {
                if (state.compareAndSet(s, DISCONNECTED)) {
                    ending.complete(outcome);
                    fire(s, DISCONNECTED);
                    announce();
                    return outcome;
                }
                continue;
            }
            if (state.compareAndSet(s, DISCONNECTED)) {
                c.abortTransport(outcome.kind() == DisconnectOutcome.Kind.DROPPED && resetOnDrop);
                return ended(s, outcome);
            }
        }
    }

    /**
     * {@link AbstractConnection#drop()}: like {@link #forceEnd(DisconnectOutcome)}, but the transport is aborted
     * right after the state changes, before anything else is done, so that a thread blocked on it is woken as soon
     * as it can be; the outcome is made afterwards, named after the state the connection left.
     *
     * @param start when the drop was called, for the outcome's elapsed time
     * @throws UnplugException {@link ErrorKind#NOT_INITIALISED} when the connection was never connected
     */
    DisconnectOutcome drop(long start) {
        while (true) {
            ConnectionState s = state.get();
            if (s == NOT_INITIALISED) {
                throw new UnplugException(ErrorKind.NOT_INITIALISED, shownUri + " was never connected: nothing to"
                        + " drop");
            }
            if (s == DISCONNECTED) {
                c.abortTransport(false);
                return ending.join();
            }
            if (state.compareAndSet(s, DISCONNECTED)) {
                c.abortTransport(resetOnDrop);
                return ended(s, DisconnectOutcome.dropped(since(start), dropReason(s)));
            }
        }
    }

    /** The rest of an ending, once the state has become DISCONNECTED and the transport has been aborted. */
    private DisconnectOutcome ended(ConnectionState from, DisconnectOutcome outcome) {
        Goodbye run = goodbye;
        if (run != null) {
            run.cancelTimer();
        }
        if (outcome.kind() == DisconnectOutcome.Kind.DROPPED && goodbyeStarted) {
            // goodbyeStarted is set before the goodbye may reach the wire: it was written, or was being written, and
            // a drop can cut it off in the kernel's queue before the server reads it. Say only what is known.
            outcome = DisconnectOutcome.escalated(outcome.elapsed(), "goodbye sent, then " + outcome.reason()
                    + " before its answer; the goodbye was written (or being written), and the drop may have cut it"
                    + " off before the server read it", null, new CutOff(shownUri));
        }
        ending.complete(outcome);
        fire(from, DISCONNECTED);
        announce();
        return ending.join();
    }

    /** Ends a graceful disconnect with its outcome, unless something else ended the connection first. */
    DisconnectOutcome endGracefully(DisconnectOutcome outcome) {
        if (state.compareAndSet(DISCONNECTING, DISCONNECTED)) {
            ending.complete(outcome);
            fire(DISCONNECTING, DISCONNECTED);
            announce();
        }
        return ending.join();
    }

    void fire(ConnectionState from, ConnectionState to) {
        if (to == DISCONNECTING) {
            gracefulBegun = true;
        }
        Observer.stateChanged(pluginId, shownUri, from, to);
        listeners.stateChanged(c, from, to);
    }

    private void announce() {
        if (listeners.claimAnnouncement()) {
            DisconnectOutcome outcome = ending.join();
            Observer.ended(pluginId, shownUri, gracefulBegun, outcome);
            listeners.disconnected(c, outcome);
        }
    }

    boolean isEnded() {
        ConnectionState s = state.get();
        return s == DISCONNECTED || s == DISCONNECTING;
    }

    ConnectionState requireOpen(String what) {
        ConnectionState s = state.get();
        if (s.isOpen() || (s == BUSY && !commandLock.isHeldByCurrentThread())) {
            return s;
        }
        throw notOpen(s, what);
    }

    UnplugException notOpen(ConnectionState s, String what) {
        if (s == NOT_INITIALISED) {
            return new UnplugException(ErrorKind.NOT_INITIALISED, what + " on " + shownUri
                    + ": never connected, call connect() first");
        }
        if (s == DISCONNECTED && ending.getNow(null) != null
                && ending.getNow(null).kind() == DisconnectOutcome.Kind.DROPPED) {
            return new UnplugException(ErrorKind.CONNECTION_DROPPED, what + " on " + shownUri
                    + ": the connection was dropped");
        }
        return new UnplugException(ErrorKind.NOT_CONNECTED, what + " on " + shownUri + ": not connected ("
                + name(s) + ")");
    }

    UnplugException droppedDuring(String what, Exception cause) {
        return new DroppedDuring(what, shownUri, cause);
    }

    /**
     * The error of a command that a drop ended: raised in the thread that was blocked, where its own stack trace
     * would only repeat its cause's, so none is recorded, and its message is put together when asked for; the
     * blocked thread returns sooner.
     */
    private static final class DroppedDuring extends UnplugException {
        private static final long serialVersionUID = 1L;
        private final String what;
        private final URI shownUri;

        DroppedDuring(String what, URI shownUri, Throwable cause) {
            super(ErrorKind.CONNECTION_DROPPED, "dropped", cause, false); // the message is getMessage()'s
            this.what = what;
            this.shownUri = shownUri;
        }

        @Override
        public String getMessage() {
            return what + " on " + shownUri + " ended because the connection was dropped";
        }
    }

    /**
     * The error of a goodbye a drop cut off: made for every such connection a shutdown drops at its deadline (5,000 of
     * them in the bulk figure, all at that instant), where its own stack trace (the dropping thread's) says nothing,
     * so none is recorded and its message is put together when asked for.
     */
    private static final class CutOff extends UnplugException {
        private static final long serialVersionUID = 1L;
        private final URI shownUri;

        CutOff(URI shownUri) {
            super(ErrorKind.CONNECTION_DROPPED, "cut off", null, false); // the message is getMessage()'s
            this.shownUri = shownUri;
        }

        @Override
        public String getMessage() {
            return "the goodbye to " + shownUri + " was sent but the connection was dropped before its answer";
        }
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static String name(ConnectionState s) {
        return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
