package dev.unplug.transport;

import org.apiguardian.api.API;

/**
 * One reply of an internet transport server, as a plugin classifies it: its numeric code (SMTP, NNTP), its text
 * and whether the protocol counts it as positive (SMTP 2xx/3xx, POP3 {@code +OK}, IMAP tagged {@code OK}, NNTP
 * 2xx/3xx). Plugins return it from {@link InternetTransportConnection#goodbye(org.apache.commons.net.SocketClient)}
 * and pass it to {@link InternetTransportConnection#replyError(String, ServerReply)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param code the numeric reply code, or {@code -1} when the protocol has none (POP3, IMAP)
 * @param line the server's reply text without trailing line breaks (several lines joined by {@code \n} for a
 *        multi-line reply); never null, may be empty
 * @param positive whether the reply means success
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record ServerReply(int code, String line, boolean positive) {

    /**
     * Normalises the text: null becomes empty, line breaks become {@code \n}, outer blanks are stripped.
     *
     * @param code the numeric reply code, or {@code -1}
     * @param line the reply text
     * @param positive whether the reply means success
     */
    public ServerReply {
        line = line == null ? "" : line.replace("\r\n", "\n").strip();
        if (code < -1) {
            code = -1;
        }
    }

    /**
     * A reply with a numeric code: positive when the code is 2xx or 3xx (SMTP, NNTP, FTP style).
     *
     * @param code the reply code
     * @param line the reply text, may be null
     * @return the reply
     */
    public static ServerReply numeric(int code, String line) {
        return new ServerReply(code, line, code >= 200 && code < 400);
    }

    /**
     * A reply without a numeric code (POP3, IMAP).
     *
     * @param positive whether it means success
     * @param line the reply text, may be null
     * @return the reply
     */
    public static ServerReply textual(boolean positive, String line) {
        return new ServerReply(-1, line, positive);
    }
}
