package dev.unplug.api;

import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * How a connection ended. Whatever the kind, every socket and stream of the connection has been released by
 * the time an outcome exists: a failed goodbye is reported here, never thrown before clean-up.
 *
 * <p>Immutable and thread-safe. Equal outcomes are the same instance when they come from one connection:
 * concurrent disconnects of one connection all receive the same object.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class DisconnectOutcome {

    /** The kinds of ending. */
    @API(status = API.Status.STABLE, since = "0.1")
    public enum Kind {
        /** The goodbye was sent and answered positively within the deadline. */
        CLEAN,
        /** The goodbye was answered with an error; the connection was closed anyway. */
        REFUSED,
        /**
         * The goodbye was sent (or may have reached the server) but did not complete: the deadline passed, it
         * failed on the wire (reset, garbage, closed), or the connection was dropped on request while its answer
         * was awaited. The server may have seen the goodbye.
         */
        ESCALATED,
        /**
         * Dropped on request before any goodbye was sent: nothing reached the server. When a drop races a graceful
         * disconnect, the outcome is {@code DROPPED} only if the drop won before the goodbye could be written;
         * otherwise it is {@link #ESCALATED} with a reason that starts with "goodbye sent" and says what is known:
         * the goodbye was written (or was being written), and the drop may have cut it off before the server read it,
         * so the server may or may not have seen it.
         */
        DROPPED,
        /**
         * The connection ended on its own, not by a disconnect or a drop asked for: the connect failed (refused,
         * timed out, login refused), or the transport failed under a command. No goodbye was sent; the cause says
         * what failed. Listeners and JFR see it as such an ending (JFR mode {@code failed}), never as an
         * escalation.
         */
        FAILED
    }

    private final Kind kind;
    private final Duration elapsed;
    private final String reason;
    private final String lastReply;
    private final UnplugException cause;

    private DisconnectOutcome(Kind kind, Duration elapsed, String reason, String lastReply, UnplugException cause) {
        this.kind = UnplugException.requireNonNull(kind, "kind");
        this.elapsed = elapsed == null || elapsed.isNegative() ? Duration.ZERO : elapsed;
        this.reason = reason == null ? kind.name().toLowerCase(java.util.Locale.ROOT) : reason;
        this.lastReply = lastReply == null || lastReply.isBlank() ? null : lastReply.strip();
        this.cause = cause;
    }

    /** A clean ending: the server answered the goodbye positively. */
    public static DisconnectOutcome clean(Duration elapsed, String lastReply) {
        return new DisconnectOutcome(Kind.CLEAN, elapsed, "goodbye answered", lastReply, null);
    }

    /** The server answered the goodbye with an error; closed anyway. */
    public static DisconnectOutcome refused(Duration elapsed, String lastReply, UnplugException cause) {
        return new DisconnectOutcome(Kind.REFUSED, elapsed, "goodbye refused by the server", lastReply, cause);
    }

    /** The goodbye did not complete (deadline, reset, garbage), so the connection was dropped. */
    public static DisconnectOutcome escalated(Duration elapsed, String reason, String lastReply,
            UnplugException cause) {
        return new DisconnectOutcome(Kind.ESCALATED, elapsed, reason, lastReply, cause);
    }

    /** Dropped on request, nothing sent. */
    public static DisconnectOutcome dropped(Duration elapsed, String reason) {
        return new DisconnectOutcome(Kind.DROPPED, elapsed, reason == null ? "dropped on request" : reason, null,
                null);
    }

    /**
     * The connection ended on its own (connect failed, or the transport failed under a command), no goodbye sent.
     *
     * @param elapsed how long it took
     * @param reason what failed, in words
     * @param lastReply the server's last reply, if any
     * @param cause the typed error
     * @return the outcome
     * @since 0.2
     */
    public static DisconnectOutcome failed(Duration elapsed, String reason, String lastReply, UnplugException cause) {
        return new DisconnectOutcome(Kind.FAILED, elapsed, reason, lastReply, cause);
    }

    /** The kind of ending, never null. */
    public Kind kind() {
        return kind;
    }

    /** Whether the server took part in the ending ({@link Kind#CLEAN} or {@link Kind#REFUSED}). */
    public boolean isGraceful() {
        return kind == Kind.CLEAN || kind == Kind.REFUSED;
    }

    /** Time from the start of the disconnect (or drop) to the release of the connection; never negative. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Why it ended this way, in words, never null. */
    public String reason() {
        return reason;
    }

    /** The server's last reply line, when there was one (for example {@code 221 2.0.0 Bye}). */
    public Optional<String> lastReply() {
        return Optional.ofNullable(lastReply);
    }

    /** The error behind a refused, escalated or failed ending, if any. */
    public Optional<UnplugException> cause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        return kind + " in " + elapsed.toMillis() + " ms (" + reason + ")"
                + (lastReply == null ? "" : ", last reply: " + lastReply);
    }
}
