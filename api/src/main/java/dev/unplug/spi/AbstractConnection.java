package dev.unplug.spi;

import static dev.unplug.api.ConnectionState.AUTHENTICATED;
import static dev.unplug.api.ConnectionState.BUSY;
import static dev.unplug.api.ConnectionState.CONNECTED;
import static dev.unplug.api.ConnectionState.CONNECTING;
import static dev.unplug.api.ConnectionState.DISCONNECTED;
import static dev.unplug.api.ConnectionState.DISCONNECTING;
import static dev.unplug.api.ConnectionState.NOT_INITIALISED;
import static dev.unplug.api.ConnectionState.SECURING;

import dev.unplug.api.BusyPolicy;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared base of every connection: one atomic state machine that implements the whole {@link Connection}
 * contract, so that a plugin writes only what its protocol or device does. A plugin implements four hooks:
 *
 * <ul>
 *   <li>{@link #openTransport(Duration)}: open the socket or device, greet, secure and log in, calling
 *       {@link #advance(ConnectionState)} as it goes;</li>
 *   <li>{@link #sayGoodbye(Duration)}: send the protocol's goodbye and read its answer within the time given;</li>
 *   <li>{@link #abortTransport(boolean)}: close the raw socket or handle at once: no lock, no I/O, no waiting
 *       for TLS {@code close_notify}; idempotent and callable from any thread;</li>
 *   <li>optionally {@link #releaseTransport()} (orderly release after a goodbye), {@link #view(Class)} and
 *       {@link #checkDisconnect()} (a device that refuses a graceful disconnect in some states).</li>
 * </ul>
 *
 * <p>Protocol work after connect runs through {@link #command(String, Command)}, which marks the connection
 * {@link ConnectionState#BUSY}, runs one command at a time, and turns every failure into a typed error.
 *
 * <h2>What the base guarantees</h2>
 * Transitions are compare-and-set, so a refused call leaves the state as it was; the goodbye is sent at most
 * once; a graceful disconnect is bounded by its deadline on one shared timer (the transport is aborted when
 * it passes); every ending releases the transport and is announced to listeners exactly once; a command
 * that fails on the wire ends the connection (its stream can no longer be trusted) instead of leaking it.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public abstract class AbstractConnection implements Connection {

    /**
     * A unit of protocol work run under the command lock.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface Command<T> {
        /**
         * Runs the command.
         *
         * @return its result
         * @throws Exception any failure; the base turns it into a typed error
         */
        T run() throws Exception;
    }

    private final String pluginId;
    private final ConnectionTarget target;
    private final URI shownUri;
    private final Options options;
    private final AtomicReference<ConnectionState> state = new AtomicReference<>(NOT_INITIALISED);
    private final ReentrantLock commandLock = new ReentrantLock();
    private final CompletableFuture<DisconnectOutcome> ending = new CompletableFuture<>();
    private final Listeners listeners = new Listeners();
    private volatile ConnectionState resumeState = CONNECTED;
    /** Set before the goodbye may reach the wire; read after the state has become DISCONNECTED (see forceEnd). */
    private volatile boolean goodbyeStarted;
    /** Whether a graceful disconnect began (the state went to DISCONNECTING), for the ending's log and event. */
    private volatile boolean gracefulBegun;
    /** The goodbye in progress, whose deadline timer an earlier ending cancels. */
    private volatile GoodbyeRun goodbyeRun;

    /**
     * Creates an unconnected connection. No I/O.
     *
     * @param pluginId the id of the plugin that makes it
     * @param uri the target; its query parameters are options, overridden by {@code options}
     * @param options settings, may be {@link Options#empty()}
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls, {@link ErrorKind#INVALID_ARGUMENT}
     *         for a bad option value in the URI or options
     */
    protected AbstractConnection(String pluginId, URI uri, Options options) {
        this.pluginId = UnplugException.requireNonNull(pluginId, "pluginId");
        this.target = new ConnectionTarget(uri, options);
        this.shownUri = target.shown;
        this.options = target.options;
    }

    // ------------------------------------------------------------------ plugin hooks

    /**
     * Opens the transport: socket, greeting, TLS, login. Calls {@link #advance(ConnectionState)} with
     * {@link ConnectionState#SECURING}, {@link ConnectionState#CONNECTED} and
     * {@link ConnectionState#AUTHENTICATED} as it reaches them. Must honour the connect timeout; the base also
     * aborts the transport when it passes. Whatever this throws, the base aborts the transport afterwards.
     *
     * @param connectTimeout time allowed for the whole connect
     * @throws Exception any failure; the base turns it into a typed error
     */
    protected abstract void openTransport(Duration connectTimeout) throws Exception;

    /**
     * Sends the protocol's goodbye and reads its answer, within {@code remaining} (set the socket's read
     * timeout to it). Called at most once, under the command lock, in state
     * {@link ConnectionState#DISCONNECTING}. The base aborts the transport when the deadline passes, which makes
     * a blocked read here fail; it releases the transport afterwards in every case.
     *
     * @param remaining time left before the deadline
     * @return the server's answer, accepted or refused
     * @throws Exception when the goodbye fails on the wire (reset, timeout, garbage)
     */
    protected abstract GoodbyeReply sayGoodbye(Duration remaining) throws Exception;

    /**
     * Sends the goodbye for a host that ends many connections at once ({@link #beginDisconnect(Duration)}), and
     * returns its answer when it has already arrived, or null when it has not: then the base asks
     * {@link #goodbyeAnswerReady()} until it is, and calls {@link #readGoodbye(Duration)} to read it, so that no
     * thread waits on a server that does not answer. Called at most once, like {@link #sayGoodbye(Duration)},
     * instead of it. The default waits: it returns {@code sayGoodbye(remaining)}.
     *
     * @param remaining time left before the deadline
     * @return the answer, or null when it has not arrived yet
     * @throws Exception when the goodbye fails on the wire
     */
    protected GoodbyeReply sendGoodbye(Duration remaining) throws Exception {
        return sayGoodbye(remaining);
    }

    /**
     * Whether the answer to a goodbye sent by {@link #sendGoodbye(Duration)} can be read without waiting (bytes
     * have arrived, or the connection is closed so that a read fails at once). Must never block; called often.
     * The default says yes.
     *
     * @return whether {@link #readGoodbye(Duration)} would not wait for the server
     */
    protected boolean goodbyeAnswerReady() {
        return true;
    }

    /**
     * Reads the answer to a goodbye that {@link #sendGoodbye(Duration)} sent without waiting for it. Called once,
     * when {@link #goodbyeAnswerReady()} said so or at the deadline. The default refuses: a plugin that returns
     * null from {@code sendGoodbye} must implement it.
     *
     * @param remaining time left before the deadline
     * @return the server's answer, accepted or refused
     * @throws Exception when it fails on the wire (reset, timeout, garbage)
     */
    protected GoodbyeReply readGoodbye(Duration remaining) throws Exception {
        throw new UnplugException(ErrorKind.UNEXPECTED, pluginId + " plugin returned no answer from sendGoodbye"
                + " but does not override readGoodbye to read it later");
    }

    /**
     * Closes the raw socket or handle at once, beneath any TLS layer: sends nothing, takes no lock, never
     * blocks. Idempotent and callable from any thread, including while another thread is blocked reading, and
     * before the transport was ever opened (then it does nothing, or closes what was opened so far).
     *
     * @param reset whether to reset the connection (SO_LINGER 0) rather than close it plainly
     */
    protected abstract void abortTransport(boolean reset);

    /**
     * Releases the transport in order after the goodbye (for example closes streams then socket). Runs after
     * {@link #sayGoodbye(Duration)} whatever it did; the base calls {@link #abortTransport(boolean)} after it
     * too, so nothing stays open. The default does nothing more.
     *
     * @throws Exception ignored by the base
     */
    protected void releaseTransport() throws Exception {
    }

    /**
     * Lets a device refuse a graceful disconnect before anything changes: a capture device refuses while it is
     * capturing ({@link ErrorKind#CAPTURING}), so that no captured frame is lost. Called under the command lock,
     * before the state leaves {@link ConnectionState#CONNECTED} or {@link ConnectionState#AUTHENTICATED}; what it
     * throws reaches the caller of {@code disconnect} and the state stays as it was. {@link #drop()} is never
     * refused. The default accepts every disconnect.
     *
     * @throws UnplugException the refusal, with its kind
     */
    protected void checkDisconnect() {
    }

    /**
     * What the connection offers beyond the contract, for {@link #unwrap(Class)}: return an object of the
     * given type, or null. The connection itself is always offered for the types it implements.
     *
     * @param type the wanted type
     * @return a view, or null when there is none
     */
    protected Object view(Class<?> type) {
        return null;
    }

    /**
     * Turns a failure into a typed error. The default maps time-outs, unknown hosts, refused connections,
     * TLS failures and other I/O errors; plugins may refine it (reply codes), falling back to this.
     *
     * @param failure what went wrong
     * @param during what was being done, for the message, such as {@code "connect"} or {@code "RETR 1"}
     * @return the typed error, never null
     */
    protected UnplugException translate(Exception failure, String during) {
        return Failures.translate(pluginId, shownUri, failure, during);
    }

    // ------------------------------------------------------------------ for plugins

    /** The options: the URI's query parameters overridden by the options given to the provider. */
    protected final Options options() {
        return options;
    }

    /** The real target URI, password included: never log it; use {@link #uri()} in messages. */
    protected final URI target() {
        return target.uri;
    }

    /** The user name: option {@link Options#USER}, else the URI's user info. */
    protected final Optional<String> userName() {
        return target.userName();
    }

    /** The password: option {@link Options#PASSWORD}, else the URI's user info. Never log it. */
    protected final Optional<String> password() {
        return target.password();
    }

    /**
     * Records progress while connecting ({@link ConnectionState#SECURING}, {@link ConnectionState#CONNECTED},
     * {@link ConnectionState#AUTHENTICATED}), or a login inside a command (then the connection returns to
     * {@link ConnectionState#AUTHENTICATED} when the command ends).
     *
     * @throws UnplugException {@link ErrorKind#CONNECTION_DROPPED} when the connection was dropped meanwhile
     */
    protected final void advance(ConnectionState to) {
        if (to != SECURING && to != CONNECTED && to != AUTHENTICATED) {
            throw new UnplugException(ErrorKind.UNEXPECTED, pluginId + " plugin tried to advance to " + to);
        }
        while (true) {
            ConnectionState s = state.get();
            if (s == DISCONNECTED || s == DISCONNECTING) {
                throw new UnplugException(ErrorKind.CONNECTION_DROPPED, shownUri + " was dropped while connecting");
            }
            if (s == BUSY) {
                resumeState = to;
                return;
            }
            if (s == to) {
                return;
            }
            if (s == NOT_INITIALISED) {
                throw new UnplugException(ErrorKind.NOT_INITIALISED, shownUri + " is not connecting");
            }
            if (state.compareAndSet(s, to)) {
                fireState(s, to);
                return;
            }
        }
    }

    /**
     * Runs protocol work under the command lock: one command at a time, state {@link ConnectionState#BUSY}
     * while it runs. Re-entrant for the thread that holds it. A failure on the wire ends the connection
     * (outcome {@link DisconnectOutcome.Kind#ESCALATED}) and is raised as a typed error; an
     * {@link UnplugException} thrown by the body (a protocol error reply) leaves the connection open.
     *
     * @param what the command, for messages (never a password)
     * @param body the work
     * @return what the body returns
     * @throws UnplugException {@link ErrorKind#NOT_INITIALISED}, {@link ErrorKind#NOT_CONNECTED},
     *         {@link ErrorKind#BUSY} when another command holds the lock past the read timeout,
     *         {@link ErrorKind#CONNECTION_DROPPED} when dropped meanwhile, or the command's own error
     */
    protected final <T> T command(String what, Command<T> body) {
        UnplugException.requireNonNull(what, "what");
        UnplugException.requireNonNull(body, "body");
        if (commandLock.isHeldByCurrentThread()) {
            return runBody(what, body);
        }
        requireOpen(what);
        boolean locked;
        try {
            locked = commandLock.tryLock(options.readTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw translate(e, what);
        }
        if (!locked) {
            throw new UnplugException(ErrorKind.BUSY, "another command has been in flight on " + shownUri
                    + " for longer than the read timeout " + options.readTimeout().toMillis() + " ms");
        }
        try {
            ConnectionState s = requireOpen(what);
            if (!state.compareAndSet(s, BUSY)) {
                throw notOpen(state.get(), what);
            }
            resumeState = s;
            fireState(s, BUSY);
            try {
                return runBody(what, body);
            } finally {
                ConnectionState back = resumeState;
                if (state.compareAndSet(BUSY, back)) {
                    fireState(BUSY, back);
                }
            }
        } finally {
            commandLock.unlock();
        }
    }

    private <T> T runBody(String what, Command<T> body) {
        long start = System.nanoTime();
        try {
            return body.run();
        } catch (UnplugException e) {
            if (isEnded()) {
                throw droppedDuring(what, e);
            }
            throw e;
        } catch (Exception e) {
            if (isEnded()) {
                throw droppedDuring(what, e);
            }
            UnplugException error = translate(e, what);
            forceEnd(DisconnectOutcome.escalated(since(start), what + " failed on the wire, so the connection"
                    + " was dropped: " + error.getMessage(), error.serverReply().orElse(null), error));
            throw error;
        }
    }

    // ------------------------------------------------------------------ the contract

    @Override
    public final String pluginId() {
        return pluginId;
    }

    @Override
    public final URI uri() {
        return shownUri;
    }

    @Override
    public final ConnectionState state() {
        return state.get();
    }

    @Override
    public final void connect() {
        if (!state.compareAndSet(NOT_INITIALISED, CONNECTING)) {
            ConnectionState s = state.get();
            if (s == DISCONNECTED || s == DISCONNECTING) {
                throw new UnplugException(ErrorKind.INVALID_STATE, shownUri + " has ended; connections are"
                        + " single-use, open a new one");
            }
            throw new UnplugException(ErrorKind.ALREADY_CONNECTED, shownUri + " is already " + name(s));
        }
        fireState(NOT_INITIALISED, CONNECTING);
        long start = System.nanoTime();
        Duration timeout = options.connectTimeout();
        // 0 connecting, 1 finished in time, 2 timed out: whoever moves it first decides
        AtomicInteger phase = new AtomicInteger();
        ScheduledFuture<?> guard = Timers.schedule(() -> {
            if (phase.compareAndSet(0, 2)) {
                abortTransport(false);
            }
        }, timeout.toNanos());
        try {
            openTransport(timeout);
            guard.cancel(false);
            if (!phase.compareAndSet(0, 1)) {
                throw new SocketTimeoutException("connect timeout passed");
            }
            while (true) {
                ConnectionState s = state.get();
                if (s == CONNECTING || s == SECURING) {
                    if (state.compareAndSet(s, CONNECTED)) {
                        fireState(s, CONNECTED);
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
            guard.cancel(false);
            boolean timedOut = !phase.compareAndSet(0, 1) && phase.get() == 2;
            abortTransport(false);
            UnplugException error;
            if (isEnded()) {
                error = droppedDuring("connect", e);
            } else if (timedOut) {
                error = new UnplugException(ErrorKind.TIMEOUT, pluginId + " connect to " + shownUri
                        + " did not finish within the connect timeout of " + timeout.toMillis() + " ms", e);
            } else {
                error = translate(e, "connect");
            }
            forceEnd(DisconnectOutcome.escalated(since(start), "connect failed: " + error.getMessage(),
                    error.serverReply().orElse(null), error));
            throw error;
        }
    }

    @Override
    public final DisconnectOutcome disconnect() {
        return disconnect(options.disconnectDeadline(), BusyPolicy.WAIT);
    }

    @Override
    public final DisconnectOutcome disconnect(Duration deadline, BusyPolicy busyPolicy) {
        Options.requireDuration("deadline", deadline);
        UnplugException.requireNonNull(busyPolicy, "busyPolicy");
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (true) {
            ConnectionState s = state.get();
            switch (s) {
                case NOT_INITIALISED:
                    throw new UnplugException(ErrorKind.NOT_INITIALISED,
                            shownUri + " was never connected: call connect() first");
                case DISCONNECTED:
                    throw new UnplugException(ErrorKind.NOT_CONNECTED, shownUri + " is not connected ("
                            + ending.getNow(null) + ")");
                case CONNECTING:
                case SECURING:
                    throw new UnplugException(ErrorKind.BUSY, shownUri + " is still connecting; drop() aborts a"
                            + " connect");
                case DISCONNECTING:
                    return awaitEnding(start, end, deadline);
                default:
                    break;
            }
            if (commandLock.isHeldByCurrentThread()) {
                throw new UnplugException(ErrorKind.BUSY, "disconnect of " + shownUri + " called from inside a"
                        + " command of the same thread; use drop()");
            }
            boolean locked;
            if (busyPolicy == BusyPolicy.REFUSE) {
                locked = commandLock.tryLock();
                if (!locked) {
                    throw new UnplugException(ErrorKind.BUSY, "a command is in flight on " + shownUri
                            + " and the caller asked not to wait");
                }
            } else {
                try {
                    locked = commandLock.tryLock(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return forceEnd(DisconnectOutcome.escalated(since(start), "interrupted while waiting for the"
                            + " command in flight, so the connection was dropped", null, translate(e, "disconnect")));
                }
                if (!locked) {
                    return forceEnd(DisconnectOutcome.escalated(since(start), "deadline of " + deadline.toMillis()
                            + " ms passed while a command was in flight, so the connection was dropped", null,
                            new UnplugException(ErrorKind.TIMEOUT, "disconnect deadline passed on " + shownUri)));
                }
            }
            try {
                ConnectionState now = state.get();
                if (now.isOpen()) {
                    try {
                        checkDisconnect();
                    } catch (UnplugException refused) {
                        throw refused;
                    } catch (RuntimeException e) {
                        throw new UnplugException(ErrorKind.UNEXPECTED, pluginId + " plugin failed deciding whether"
                                + " " + shownUri + " may disconnect", e);
                    }
                }
                if (now.isOpen() && state.compareAndSet(now, DISCONNECTING)) {
                    fireState(now, DISCONNECTING);
                    return goodbye(start, end, deadline);
                }
                if (now == DISCONNECTED || now == DISCONNECTING) {
                    // it ended while this call waited for the command lock: a concurrent disconnect, same outcome
                    return now == DISCONNECTED ? ending.join() : awaitEnding(start, end, deadline);
                }
            } finally {
                commandLock.unlock();
            }
        }
    }

    private DisconnectOutcome goodbye(long start, long end, Duration deadline) {
        return new GoodbyeRun(start, end, deadline).send(false);
    }

    /**
     * Starts a graceful disconnect without waiting for the server's answer, for a host that ends many connections
     * under one deadline: sends the goodbye now and returns a handle whose answer the host collects when it has
     * arrived ({@link PendingDisconnect#answerReady()}, {@link PendingDisconnect#finish()}), so that no thread
     * waits on a server that does not answer. Returns null, changing nothing, when it cannot start at once: the
     * connection is not open, or a command holds it (then use {@link #disconnect(Duration, BusyPolicy)}).
     *
     * <p>The outcome follows the same rules as {@link #disconnect(Duration, BusyPolicy)}: at the deadline the
     * transport is aborted; a drop after the goodbye was sent is {@link DisconnectOutcome.Kind#ESCALATED}. The
     * host must call {@link PendingDisconnect#finish()} or {@link #drop()} by the deadline; until then the
     * connection stays {@link ConnectionState#DISCONNECTING} and concurrent disconnects wait for it.
     *
     * @param deadline the most the disconnect may take; positive, at most {@link Options#MAX_DURATION}
     * @return the disconnect in progress (perhaps already done), or null when it could not start at once
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} or {@link ErrorKind#NULL_ARGUMENT} for a bad
     *         deadline; a device's refusal ({@link #checkDisconnect()}), with the state unchanged
     */
    public final PendingDisconnect beginDisconnect(Duration deadline) {
        Options.requireDuration("deadline", deadline);
        long start = System.nanoTime();
        if (!state.get().isOpen() || commandLock.isHeldByCurrentThread() || !commandLock.tryLock()) {
            return null;
        }
        try {
            ConnectionState now = state.get();
            if (!now.isOpen()) {
                return null;
            }
            checkDisconnect();
            if (!state.compareAndSet(now, DISCONNECTING)) {
                return null;
            }
            fireState(now, DISCONNECTING);
            GoodbyeRun run = new GoodbyeRun(start, start + deadline.toNanos(), deadline);
            DisconnectOutcome done = run.send(true);
            return new PendingDisconnect(this, done == null ? run : null);
        } finally {
            commandLock.unlock();
        }
    }

    /** Whether the answer of a deferred goodbye can be read now (or the connection has ended). Never blocks. */
    final boolean deferredAnswerReady() {
        if (state.get() != DISCONNECTING) {
            return true;
        }
        try {
            return goodbyeAnswerReady();
        } catch (RuntimeException | LinkageError e) {
            return true; // let finish() meet the failure
        }
    }

    /**
     * One graceful goodbye under a deadline: the deadline timer aborts the transport; the outcome is decided
     * once, when the answer (or its failure) is known, and the transport released.
     */
    final class GoodbyeRun {
        private final long start;
        private final long end;
        private final Duration deadline;
        private final AtomicBoolean deadlinePassed = new AtomicBoolean();
        private final ScheduledFuture<?> timer;

        GoodbyeRun(long start, long end, Duration deadline) {
            this.start = start;
            this.end = end;
            this.deadline = deadline;
            this.timer = Timers.schedule(() -> {
                deadlinePassed.set(true);
                abortTransport(false);
            }, end - System.nanoTime());
            goodbyeRun = this;
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
                goodbyeStarted = true;
                if (state.get() != DISCONNECTING) {
                    throw new UnplugException(ErrorKind.CONNECTION_DROPPED, shownUri + " was dropped before its"
                            + " goodbye");
                }
                reply = deferred ? sendGoodbye(remaining()) : sayGoodbye(remaining());
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
                if (state.get() != DISCONNECTING) {
                    timer.cancel(false);
                    return ending.join();
                }
                reply = readGoodbye(remaining());
            } catch (Exception e) {
                return finish(null, e);
            }
            return finish(reply, null);
        }

        private Duration remaining() {
            return Duration.ofNanos(Math.max(1, end - System.nanoTime()));
        }

        private DisconnectOutcome finish(GoodbyeReply reply, Exception failure) {
            timer.cancel(false);
            try {
                releaseTransport();
            } catch (Exception | LinkageError e) {
                Observer.misbehaved(pluginId, shownUri, "releaseTransport failed (the socket is closed anyway)", e);
            }
            abortTransport(false);
            Duration elapsed = since(start);
            DisconnectOutcome outcome;
            if (failure == null && reply == null) {
                failure = new UnplugException(ErrorKind.UNEXPECTED, pluginId + " plugin returned no goodbye reply");
            }
            if (failure == null && reply.isAccepted()) {
                outcome = DisconnectOutcome.clean(elapsed, reply.text().orElse(null));
            } else if (failure == null) {
                outcome = DisconnectOutcome.refused(elapsed, reply.text().orElse(null), reply.error().orElse(null));
            } else if (deadlinePassed.get() || System.nanoTime() >= end || Failures.causedByTimeout(failure)) {
                outcome = DisconnectOutcome.escalated(elapsed, "deadline of " + deadline.toMillis()
                        + " ms passed waiting for the answer to the goodbye, so the connection was dropped",
                        Failures.lastReply(failure), new UnplugException(ErrorKind.TIMEOUT, "no answer to the"
                                + " goodbye from " + shownUri + " within " + deadline.toMillis() + " ms", failure));
            } else {
                UnplugException error = translate(failure, "goodbye");
                outcome = DisconnectOutcome.escalated(elapsed, "goodbye failed, so the connection was dropped: "
                        + error.getMessage(), Failures.lastReply(failure), error);
            }
            if (state.compareAndSet(DISCONNECTING, DISCONNECTED)) {
                ending.complete(outcome);
                fireState(DISCONNECTING, DISCONNECTED);
                announce();
            }
            return ending.join();
        }
    }

    private DisconnectOutcome awaitEnding(long start, long end, Duration deadline) {
        try {
            return ending.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return forceEnd(DisconnectOutcome.escalated(since(start), "deadline of " + deadline.toMillis()
                    + " ms passed while another disconnect was in progress, so the connection was dropped", null,
                    new UnplugException(ErrorKind.TIMEOUT, "disconnect deadline passed on " + shownUri)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return forceEnd(DisconnectOutcome.escalated(since(start), "interrupted while another disconnect was"
                    + " in progress, so the connection was dropped", null, translate(e, "disconnect")));
        } catch (ExecutionException e) {
            throw new UnplugException(ErrorKind.UNEXPECTED, "disconnect of " + shownUri + " failed", e);
        }
    }

    @Override
    public final DisconnectOutcome drop() {
        long start = System.nanoTime();
        ConnectionState s = state.get();
        if (s == NOT_INITIALISED) {
            throw new UnplugException(ErrorKind.NOT_INITIALISED, shownUri + " was never connected: nothing to drop");
        }
        String reason = switch (s) {
            case CONNECTING, SECURING -> "dropped on request while connecting";
            case BUSY -> "dropped on request while a command was in flight";
            case DISCONNECTING -> "dropped on request during a graceful disconnect";
            default -> "dropped on request";
        };
        DisconnectOutcome outcome = forceEnd(DisconnectOutcome.dropped(since(start), reason));
        Observer.dropped(pluginId, shownUri, System.nanoTime() - start);
        return outcome;
    }

    /**
     * Ends the connection now with the given outcome, unless it has already ended: state
     * {@link ConnectionState#DISCONNECTED}, transport aborted, listeners told. Never blocks on I/O.
     *
     * @return the connection's outcome (the first ending's when it had already ended)
     */
    private DisconnectOutcome forceEnd(DisconnectOutcome outcome) {
        while (true) {
            ConnectionState s = state.get();
            if (s == DISCONNECTED) {
                abortTransport(false);
                return ending.join();
            }
            if (s == NOT_INITIALISED) {
                if (state.compareAndSet(s, DISCONNECTED)) {
                    ending.complete(outcome);
                    fireState(s, DISCONNECTED);
                    announce();
                    return outcome;
                }
                continue;
            }
            if (state.compareAndSet(s, DISCONNECTED)) {
                abortTransport(outcome.kind() == DisconnectOutcome.Kind.DROPPED && resetOnDrop());
                GoodbyeRun run = goodbyeRun;
                if (run != null) {
                    run.timer.cancel(false);
                }
                if (outcome.kind() == DisconnectOutcome.Kind.DROPPED && goodbyeStarted) {
                    outcome = DisconnectOutcome.escalated(outcome.elapsed(), "goodbye sent, then " + outcome.reason()
                            + " before its answer", null, new UnplugException(ErrorKind.CONNECTION_DROPPED,
                            "the goodbye to " + shownUri + " was sent but the connection was dropped before its"
                            + " answer"));
                }
                ending.complete(outcome);
                fireState(s, DISCONNECTED);
                announce();
                return ending.join();
            }
        }
    }

    @Override
    public final Optional<DisconnectOutcome> outcome() {
        return Optional.ofNullable(ending.getNow(null));
    }

    @Override
    public final void addListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    @Override
    public final void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public final <T> T unwrap(Class<T> type) {
        UnplugException.requireNonNull(type, "type");
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        Object view = view(type);
        if (type.isInstance(view)) {
            return type.cast(view);
        }
        throw new UnplugException(ErrorKind.NOT_SUPPORTED, pluginId + " connections do not offer "
                + type.getName());
    }

    @Override
    public final void close() {
        try {
            ConnectionState s = state.get();
            switch (s) {
                case NOT_INITIALISED -> forceEnd(DisconnectOutcome.dropped(Duration.ZERO,
                        "closed before it was connected"));
                case CONNECTING, SECURING -> drop();
                case DISCONNECTED -> {
                    // nothing left to release
                }
                default -> disconnect(options.disconnectDeadline(), BusyPolicy.WAIT);
            }
        } catch (RuntimeException e) {
            try {
                if (state.get() != NOT_INITIALISED) {
                    drop();
                }
            } catch (RuntimeException ignored) {
                // close never throws
            }
        }
    }

    /** The plugin id, the redacted URI and the state; never a password. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + pluginId + " " + shownUri + " " + state.get() + "]";
    }

    // ------------------------------------------------------------------ internals

    private boolean resetOnDrop() {
        return options.flag(Options.RESET_ON_DROP, false);
    }

    private boolean isEnded() {
        ConnectionState s = state.get();
        return s == DISCONNECTED || s == DISCONNECTING;
    }

    private ConnectionState requireOpen(String what) {
        ConnectionState s = state.get();
        if (s.isOpen() || (s == BUSY && !commandLock.isHeldByCurrentThread())) {
            return s;
        }
        throw notOpen(s, what);
    }

    private UnplugException notOpen(ConnectionState s, String what) {
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

    private UnplugException droppedDuring(String what, Exception cause) {
        return new DroppedDuring(what + " on " + shownUri + " ended because the connection was dropped", cause);
    }

    /**
     * The error of a command that a drop ended: raised in the thread that was blocked, where its own stack trace
     * would only repeat its cause's, so none is recorded and the blocked thread returns sooner.
     */
    private static final class DroppedDuring extends UnplugException {
        private static final long serialVersionUID = 1L;

        DroppedDuring(String message, Throwable cause) {
            super(ErrorKind.CONNECTION_DROPPED, message, cause, false);
        }
    }

    private void fireState(ConnectionState from, ConnectionState to) {
        if (to == DISCONNECTING) {
            gracefulBegun = true;
        }
        Observer.stateChanged(pluginId, shownUri, from, to);
        listeners.stateChanged(this, from, to);
    }

    private void announce() {
        if (listeners.claimAnnouncement()) {
            DisconnectOutcome outcome = ending.join();
            Observer.ended(pluginId, shownUri, gracefulBegun, outcome);
            listeners.disconnected(this, outcome);
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String name(ConnectionState s) {
        return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
