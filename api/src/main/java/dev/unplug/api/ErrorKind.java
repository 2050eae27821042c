package dev.unplug.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What went wrong, as a closed set of kinds. Each kind names the original error code it stands for in the
 * systems Unplug re-creates (Outlook Express {@code IXP_E_*} transport codes, Network Monitor {@code NMERR_*}
 * capture codes and the common COM {@code E_*} set), and can be looked up by that name or value with
 * {@link #fromCode(String)} and {@link #fromValue(int)}.
 *
 * <p>Network Monitor codes are given as the HRESULT that {@code NMERR_TO_HRESULT} makes of them
 * ({@code 0x80040000 | n}), so every value is unique.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum ErrorKind {
    /** The connection was never set up (never connected). {@code IXP_E_NOT_INIT}. */
    NOT_INITIALISED("IXP_E_NOT_INIT", 0x800CCC0C),
    /** The connection is not connected (already disconnected, or dropped). */
    NOT_CONNECTED("IXP_E_NOT_CONNECTED", 0x800CCC05, code("NMERR_NOT_CONNECTED", 0x80040066)),
    /** The connection is already connected or connecting. */
    ALREADY_CONNECTED("IXP_E_ALREADY_CONNECTED", 0x800CCC03, code("NMERR_ALREADY_CONNECTED", 0x80040067)),
    /** A command is in flight and the caller asked not to wait for it. */
    BUSY("IXP_E_BUSY", 0x800CCC0B),
    /** The call is not valid in the connection's current state (for example connect after disconnect). */
    INVALID_STATE("IXP_E_INVALID_STATE", 0x800CCC08),
    /** The capture device is capturing: stop first (so no captured frame is lost). */
    CAPTURING("NMERR_CAPTURING", 0x80040003),
    /** The capture device is not capturing. */
    NOT_CAPTURING("NMERR_NOT_CAPTURING", 0x80040004),
    /** The capture is paused. */
    CAPTURE_PAUSED("NMERR_CAPTURE_PAUSED", 0x80040014),
    /** The capture is not paused. */
    CAPTURE_NOT_PAUSED("NMERR_CAPTURE_NOT_PAUSED", 0x80040042),
    /** The device is connected through another mode or handle than the one used for this call. */
    WRONG_MODE("NMERR_NOT_ESP", 0x8004008B),
    /** An argument is not valid (malformed URI, unknown scheme, bad duration, unknown disconnect type). */
    INVALID_ARGUMENT("E_INVALIDARG", 0x80070057),
    /** The operation was aborted (cancelled by the user or by a drop). */
    ABORTED("E_ABORT", 0x80004004, code("IXP_E_USER_CANCEL", 0x800CCC17)),
    /** Unspecified failure, with the reason in the message (for example a plugin that failed to load). */
    FAILED("E_FAIL", 0x80004005),
    /** The connection or plugin does not have the requested capability. */
    NOT_SUPPORTED("E_NOINTERFACE", 0x80004002),
    /** The plugin does not offer this operation at all (the original E_NOTIMPL). */
    NOT_IMPLEMENTED("E_NOTIMPL", 0x80004001),
    /** A resource (memory, file descriptors, threads) ran out. */
    OUT_OF_RESOURCES("E_OUTOFMEMORY", 0x8007000E),
    /**
     * The caller lacks the permission the operation needs (for example live capture without root or
     * {@code CAP_NET_RAW}); the message says which.
     */
    ACCESS_DENIED("E_ACCESSDENIED", 0x80070005),
    /** A required argument was null. */
    NULL_ARGUMENT("E_POINTER", 0x80004003),
    /** Something that should not happen did: a bug in a plugin or in Unplug. */
    UNEXPECTED("E_UNEXPECTED", 0x8000FFFF),
    /** A wait ran past its time limit. */
    TIMEOUT("IXP_E_TIMEOUT", 0x800CCC19, code("NMERR_TIMEOUT", 0x80040060)),
    /** The connection was dropped (by a drop, a reset from the peer, or deadline escalation). */
    CONNECTION_DROPPED("IXP_E_CONNECTION_DROPPED", 0x800CCC0F),
    /** The host name could not be resolved. */
    HOST_NOT_FOUND("IXP_E_CANT_FIND_HOST", 0x800CCC0D),
    /** The TCP connection could not be established. */
    CONNECT_FAILED("IXP_E_FAILED_TO_CONNECT", 0x800CCC0E),
    /** TLS could not be set up (handshake, certificate or host name check, STARTTLS refused). */
    SECURE_CONNECT_FAILED("IXP_E_SECURE_CONNECT_FAILED", 0x800CCC1A,
            code("IXP_E_SMTP_454_STARTTLS_FAILED", 0x800CCC7F)),
    /** Reading from or writing to the socket failed. */
    SOCKET_ERROR("IXP_E_SOCKET_READ_ERROR", 0x800CCC12, code("IXP_E_SOCKET_WRITE_ERROR", 0x800CCC13),
            code("IXP_E_CONN", 0x800CCC04), code("IXP_E_CONN_SEND", 0x800CCC06), code("IXP_E_CONN_RECV", 0x800CCC09)),
    /** The server rejected the credentials. */
    AUTHENTICATION_FAILED("IXP_E_IMAP_LOGINFAILURE", 0x800CCCD1,
            code("IXP_E_POP3_INVALID_USER_NAME", 0x800CCC91), code("IXP_E_POP3_INVALID_PASSWORD", 0x800CCC92),
            code("IXP_E_NNTP_INVALID_USERPASS", 0x800CCCAE)),
    /** The server's reply could not be parsed (garbage, wrong protocol). */
    MALFORMED_REPLY("IXP_E_SMTP_UNKNOWN_RESPONSE_CODE", 0x800CCC61,
            code("IXP_E_POP3_PARSE_FAILURE", 0x800CCC93), code("IXP_E_IMAP_SVR_SYNTAXERR", 0x800CCCD4)),
    /** An SMTP command got an error reply; the reply code is in the exception. */
    SMTP_ERROR("IXP_E_SMTP_RESPONSE_ERROR", 0x800CCC60),
    /** A POP3 command got {@code -ERR}. */
    POP3_ERROR("IXP_E_POP3_RESPONSE_ERROR", 0x800CCC90),
    /** An NNTP command got an error reply; the reply code is in the exception. */
    NNTP_ERROR("IXP_E_NNTP_RESPONSE_ERROR", 0x800CCCA0),
    /** An IMAP command got a tagged {@code NO}. */
    IMAP_NO("IXP_E_IMAP_TAGGED_NO_RESPONSE", 0x800CCCD2),
    /** An IMAP command got a tagged {@code BAD}. */
    IMAP_BAD("IXP_E_IMAP_BAD_RESPONSE", 0x800CCCD3),
    /** The IMAP server sent an unsolicited {@code BYE}. */
    IMAP_BYE("IXP_E_IMAP_UNSOLICITED_BYE", 0x800CCCDD);

    /** An original error code: its name and 32-bit value. */
    @API(status = API.Status.STABLE, since = "0.1")
    public record Code(String name, int value) {
        @Override
        public String toString() {
            return name + " (0x" + Integer.toHexString(value).toUpperCase(Locale.ROOT) + ")";
        }
    }

    private final Code code;
    private final List<Code> aliases;

    ErrorKind(String name, int value, Code... aliases) {
        this.code = new Code(name, value);
        this.aliases = List.of(aliases);
    }

    private static Code code(String name, int value) {
        return new Code(name, value);
    }

    /** The original code this kind stands for, never null. */
    public Code code() {
        return code;
    }

    /** Further original codes this kind also stands for (for example the capture device's variant). */
    public List<Code> aliases() {
        return aliases;
    }

    /**
     * Looks a kind up by an original code's name, such as {@code "IXP_E_NOT_INIT"} or {@code "E_INVALIDARG"}
     * (case-insensitive, aliases included).
     *
     * @return the kind, or empty when the name is null or unknown
     */
    public static Optional<ErrorKind> fromCode(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values())
                .filter(k -> k.code.name().equalsIgnoreCase(name)
                        || k.aliases.stream().anyMatch(a -> a.name().equalsIgnoreCase(name)))
                .findFirst();
    }

    /**
     * Looks a kind up by an original code's value, such as {@code 0x800CCC0C}, aliases included.
     *
     * @return the kind, or empty when no kind has that value
     */
    public static Optional<ErrorKind> fromValue(int value) {
        return Arrays.stream(values())
                .filter(k -> k.code.value() == value || k.aliases.stream().anyMatch(a -> a.value() == value))
                .findFirst();
    }
}
