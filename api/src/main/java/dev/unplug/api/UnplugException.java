package dev.unplug.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * The one exception Unplug raises: unchecked, with an {@link ErrorKind} that says what went wrong and, for
 * protocol errors, the server's reply code and reply line.
 *
 * <p>Messages name the thing that failed (the plugin id, the scheme, the redacted URI, the state) and never
 * contain a password. Instances are immutable and safe to share between threads.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public class UnplugException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final int replyCode;
    private final String serverReply;

    /**
     * Creates an exception of the given kind.
     *
     * @param kind what went wrong; {@link ErrorKind#UNEXPECTED} when null
     * @param message what failed, in words (no secrets)
     */
    public UnplugException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    /**
     * Creates an exception of the given kind with its cause.
     *
     * @param kind what went wrong; {@link ErrorKind#UNEXPECTED} when null
     * @param message what failed, in words (no secrets)
     * @param cause the underlying failure, may be null
     */
    public UnplugException(ErrorKind kind, String message, Throwable cause) {
        this(kind, message, cause, -1, null);
    }

    /**
     * Creates a protocol error carrying the server's reply.
     *
     * @param kind what went wrong, usually a protocol kind such as {@link ErrorKind#SMTP_ERROR}
     * @param message what failed, in words (no secrets)
     * @param cause the underlying failure, may be null
     * @param replyCode the server's numeric reply code, or -1 when the protocol has none (POP3, IMAP)
     * @param serverReply the server's reply line, may be null
     */
    public UnplugException(ErrorKind kind, String message, Throwable cause, int replyCode, String serverReply) {
        super(message(kind, message), cause);
        this.kind = kind == null ? ErrorKind.UNEXPECTED : kind;
        this.replyCode = replyCode;
        this.serverReply = serverReply == null ? null : serverReply.strip();
    }

    /**
     * Creates an exception of the given kind whose own stack trace is not recorded (the cause keeps its own):
     * for errors raised on a hot path where the trace says nothing the cause does not, such as a command that a
     * drop from another thread ended.
     *
     * @param kind what went wrong; {@link ErrorKind#UNEXPECTED} when null
     * @param message what failed, in words (no secrets)
     * @param cause the underlying failure, may be null
     * @param writableStackTrace whether to record this exception's stack trace
     */
    protected UnplugException(ErrorKind kind, String message, Throwable cause, boolean writableStackTrace) {
        super(message(kind, message), cause, true, writableStackTrace);
        this.kind = kind == null ? ErrorKind.UNEXPECTED : kind;
        this.replyCode = -1;
        this.serverReply = null;
    }

    private static String message(ErrorKind kind, String message) {
        ErrorKind k = kind == null ? ErrorKind.UNEXPECTED : kind;
        return (message == null || message.isBlank() ? k.name().toLowerCase(java.util.Locale.ROOT) : message);
    }

    /** What went wrong; never null. */
    public ErrorKind kind() {
        return kind;
    }

    /** The server's numeric reply code, when the error comes from a server reply that has one. */
    public OptionalInt replyCode() {
        return replyCode < 0 ? OptionalInt.empty() : OptionalInt.of(replyCode);
    }

    /** The server's reply line, when the error comes from a server reply. */
    public Optional<String> serverReply() {
        return Optional.ofNullable(serverReply);
    }

    /**
     * Checks that an argument is not null.
     *
     * @param value the argument
     * @param name the parameter's name, used in the message
     * @return the value
     * @throws UnplugException of kind {@link ErrorKind#NULL_ARGUMENT} when the value is null
     */
    public static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new UnplugException(ErrorKind.NULL_ARGUMENT, Objects.requireNonNullElse(name, "argument")
                    + " must not be null");
        }
        return value;
    }

    /** The kind, then the message: {@code NOT_CONNECTED (IXP_E_NOT_CONNECTED): smtp://host is not connected}. */
    @Override
    public String toString() {
        return getClass().getName() + ": " + kind + " (" + kind.code().name() + "): " + getMessage();
    }
}
