package dev.unplug.api.mail;

import dev.unplug.api.UnplugException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The SMTP work of a connection: {@code connection.unwrap(SmtpSession.class)}. An interface of the api, so an
 * application reaches it from a plugin loaded from a plugins folder too. On the class path, run your own commands
 * on the Apache Commons Net client with {@code connection.unwrap(dev.unplug.transport.ClientAccess.class)} (not
 * across a plugins folder, whose Commons Net is the plugin's own).
 *
 * <p>Thread-safe: commands run one at a time, and a graceful disconnect waits for the one in flight.
 * Every method raises {@link UnplugException}: {@link dev.unplug.api.ErrorKind#SMTP_ERROR} with the reply code
 * and line when the server refuses (the connection stays open), {@link dev.unplug.api.ErrorKind#NOT_CONNECTED}
 * / {@link dev.unplug.api.ErrorKind#NOT_INITIALISED} outside a session,
 * {@link dev.unplug.api.ErrorKind#CONNECTION_DROPPED} when dropped meanwhile, or an I/O kind when the wire fails
 * (then the connection has ended).
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface SmtpSession {

    /**
     * Sends one message: {@code MAIL FROM}, one {@code RCPT TO} per recipient, {@code DATA} and the message
     * (dot-stuffed for you).
     *
     * @param from the envelope sender, such as {@code alice@example.org} (empty for a null sender)
     * @param to the envelope recipients, at least one
     * @param message the whole message, headers and body, lines ending in CRLF or LF
     * @return the server's reply to the end of the data, such as {@code "250 OK"}
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} for no recipient or an address
     *         with a line break or angle bracket, {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} for nulls,
     *         {@link dev.unplug.api.ErrorKind#SMTP_ERROR} when the server refuses a step
     */
    String send(String from, List<String> to, String message);

    /**
     * Sends {@code NOOP}, to check that the session is alive.
     *
     * @return the server's reply
     */
    String noop();

    /**
     * The server's answer to {@code EHLO} (or {@code HELO} when {@code EHLO} was refused), as read while
     * connecting; lists the extensions the server offers.
     *
     * @return the reply lines joined by {@code \n}
     */
    String hello();
}
