package dev.unplug.spi;

import dev.unplug.api.BusyPolicy;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

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
@API(status = API.Status.STABLE, since = "0.1")
public abstract class AbstractConnection implements Connection {

    /**
     * A unit of protocol work run under the command lock.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    @API(status = API.Status.STABLE, since = "0.1")
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
    private final Lifecycle life;
    private final Commands commands;
    private final Disconnects disconnects;

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
        this.life = new Lifecycle(this, this.pluginId, shownUri, target.resetOnDrop);
        this.commands = new Commands(life);
        this.disconnects = new Disconnects(life);
    }

    // ------------------------------------------------------------------ plugin hooks

    /**
     * Opens the transport: socket, greeting, TLS, login. Calls {@link #advance(ConnectionState)} with
     * {@link ConnectionState#SECURING}, {@link ConnectionState#CONNECTED} and
     * {@link ConnectionState#AUTHENTICATED} as it reaches them. Must honour the connect timeout; the base also
     * aborts the transport when it passes (a {@link ErrorKind#TIMEOUT} this throws then is raised as it is, so a
     * plugin can say what it was waiting for). Whatever this throws, the base aborts the transport afterwards.
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
     * before the transport was ever opened (then it does nothing, or closes what was opened so far). It runs on
     * Unplug's one deadline thread when a deadline passes, so it must return at once: a device hands what is slow
     * (forking a process, waiting for a thread) to {@link #cleanUpLater(String, Runnable)}, and waits for it, when
     * the caller of {@code drop()} must see it done, in {@link #awaitAbortCleanup()}.
     *
     * @param reset whether to reset the connection (SO_LINGER 0) rather than close it plainly
     */
    protected abstract void abortTransport(boolean reset);

    /**
     * Waits, bounded, for clean-up that {@link #abortTransport(boolean)} started without waiting for it, so that when
     * {@link #drop()} returns the device is released (a capture device: its file flushed and closed). Called by
     * {@code drop()} on the thread that called it, after the transport was aborted and the outcome made; never on
     * Unplug's deadline thread, which only ever calls {@code abortTransport}. Must return within a few hundred
     * milliseconds whatever happens. The default returns at once: a socket needs nothing more.
     *
     * @since 0.2
     */
    protected void awaitAbortCleanup() {
    }

    /**
     * Runs slow clean-up that an abort starts (a process to fork, a thread to wait for) on Unplug's clean-up threads
     * (at most two, daemon), so that {@link #abortTransport(boolean)} returns at once, as it must: it runs on the one
     * deadline thread every connection of the JVM shares, and one slow abort there would delay every other
     * connection's deadline. The work must bound itself (time-outs on whatever it waits for); what it throws is
     * logged at {@code WARNING}. Never blocks; when thousands of tasks are already waiting, the work is refused and
     * the refusal logged.
     *
     * @param what what the work does, for the log (never a password)
     * @param work the work
     * @since 0.2
     */
    protected final void cleanUpLater(String what, Runnable work) {
        UnplugException.requireNonNull(work, "work");
        boolean queued = Cleanups.submit(() -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                Observer.misbehaved(pluginId, shownUri, what + " failed", e);
            }
        });
        if (!queued) {
            Observer.misbehaved(pluginId, shownUri, what, new IllegalStateException("refused: more than "
                    + Cleanups.MAX_QUEUED + " clean-up tasks are waiting"));
        }
    }

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

    /**
     * A duration as a socket timeout ({@code setSoTimeout}, a connect timeout): whole milliseconds rounded up, at
     * least 1 (0 would mean forever), at most {@code Integer.MAX_VALUE}. Rounded up so that a read bounded by what is
     * left of a deadline gives the server all of it; the deadline's own timer still ends the connection on time.
     *
     * @param d a positive duration
     * @return the timeout in milliseconds
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for null
     * @since 0.1
     */
    protected static int socketTimeoutMillis(Duration d) {
        UnplugException.requireNonNull(d, "d");
        if (d.getSeconds() >= Integer.MAX_VALUE / 1000) {
            return Integer.MAX_VALUE;
        }
        long ms = (Math.max(0, d.toNanos()) + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

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
        life.advance(to, commands);
    }

    /**
     * Runs protocol work under the command lock: one command at a time, state {@link ConnectionState#BUSY}
     * while it runs. Re-entrant for the thread that holds it. A failure on the wire ends the connection
     * (outcome {@link DisconnectOutcome.Kind#FAILED}: the connection ended on its own) and is raised as a typed error; an
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
        return commands.run(what, body, options.readTimeout());
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
        return life.state.get();
    }

    @Override
    public final void connect() {
        life.connect(options.connectTimeout());
    }

    @Override
    public final DisconnectOutcome disconnect() {
        return disconnect(options.disconnectDeadline(), BusyPolicy.WAIT);
    }

    @Override
    public final DisconnectOutcome disconnect(Duration deadline, BusyPolicy busyPolicy) {
        return disconnects.disconnect(deadline, busyPolicy);
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
        return disconnects.begin(deadline);
    }

    /** Whether the answer of a deferred goodbye can be read now (or the connection has ended). Never blocks. */
    final boolean deferredAnswerReady() {
        return disconnects.deferredAnswerReady();
    }

    @Override
    public final DisconnectOutcome drop() {
        return disconnects.drop();
    }

    @Override
    public final Optional<DisconnectOutcome> outcome() {
        return Optional.ofNullable(life.ending.getNow(null));
    }

    @Override
    public final void addListener(ConnectionListener listener) {
        life.listeners.add(listener);
    }

    @Override
    public final void removeListener(ConnectionListener listener) {
        life.listeners.remove(listener);
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
        disconnects.close(options.disconnectDeadline());
    }

    /** The plugin id, the redacted URI and the state; never a password. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + pluginId + " " + shownUri + " " + state() + "]";
    }
}
