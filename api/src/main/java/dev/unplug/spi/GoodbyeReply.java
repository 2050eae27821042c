package dev.unplug.spi;

import dev.unplug.api.UnplugException;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The server's answer to a protocol goodbye, as a plugin reports it from
 * {@link AbstractConnection#sayGoodbye(java.time.Duration)}. Immutable.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class GoodbyeReply {

    private final boolean accepted;
    private final String text;
    private final UnplugException error;

    private GoodbyeReply(boolean accepted, String text, UnplugException error) {
        this.accepted = accepted;
        this.text = text;
        this.error = error;
    }

    /**
     * The goodbye was answered as the protocol expects (SMTP 221, POP3 {@code +OK}, IMAP tagged OK, NNTP 205).
     *
     * @param text the server's reply line, may be null
     */
    public static GoodbyeReply accepted(String text) {
        return new GoodbyeReply(true, text, null);
    }

    /**
     * The goodbye was answered with an error reply.
     *
     * @param text the server's reply line, may be null
     * @param error the protocol error, with its kind and reply code; never null
     */
    public static GoodbyeReply refused(String text, UnplugException error) {
        return new GoodbyeReply(false, text, UnplugException.requireNonNull(error, "error"));
    }

    /**
     * An answer judged by the plugin: accepted, or refused with a {@link dev.unplug.api.ErrorKind#FAILED} error
     * carrying the answer.
     *
     * @param accepted whether the protocol counts the answer as accepted
     * @param text the server's answer
     * @return the reply
     */
    public static GoodbyeReply judged(boolean accepted, String text) {
        return accepted ? accepted(text) : refused(text, new UnplugException(dev.unplug.api.ErrorKind.FAILED,
                "the goodbye was refused: " + text, null, -1, text));
    }

    /** Whether the server answered positively. */
    public boolean isAccepted() {
        return accepted;
    }

    /** The server's reply line. */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    /** The protocol error of a refused goodbye. */
    public Optional<UnplugException> error() {
        return Optional.ofNullable(error);
    }
}
