package dev.unplug.api.mail;

import dev.unplug.api.UnplugException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The POP3 work of a logged-in connection: {@code connection.unwrap(Pop3Session.class)}. Deletions are only
 * marks until a graceful disconnect sends {@code QUIT}; after a drop the server keeps every message. An
 * interface of the api, so an application reaches it from a plugin loaded from a plugins folder too. On the class path,
 * run your own commands on the Apache Commons Net client
 * with {@code connection.unwrap(dev.unplug.transport.ClientAccess.class)} (not across a plugins folder, whose
 * Commons Net is the plugin's own).
 *
 * <p>Thread-safe: commands run one at a time, and a graceful disconnect waits for the one in flight.
 * Every method raises {@link UnplugException}: {@link dev.unplug.api.ErrorKind#POP3_ERROR} with the server's
 * {@code -ERR} line when it refuses (the connection stays open), {@link dev.unplug.api.ErrorKind#NOT_CONNECTED}
 * / {@link dev.unplug.api.ErrorKind#NOT_INITIALISED} outside a session,
 * {@link dev.unplug.api.ErrorKind#CONNECTION_DROPPED} when dropped meanwhile, or an I/O kind when the wire fails
 * (then the connection has ended).
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Pop3Session {

    /** The size of the mailbox, from {@code STAT}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    record Status(int messages, long octets) {
    }

    /** One message of the mailbox, from {@code LIST}: its number (from 1) and size in octets. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    record Entry(int number, long octets) {
    }

    /** {@code STAT}: how many messages and octets the mailbox holds (not counting messages marked deleted). */
    Status stat();

    /** {@code LIST}: every message not marked deleted, in order. */
    List<Entry> list();

    /**
     * {@code RETR}: one whole message, dot-unstuffed, lines ending in CRLF as on the wire.
     *
     * @param number the message number, from 1
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} for a number below 1,
     *         {@link dev.unplug.api.ErrorKind#POP3_ERROR} for no such message
     */
    String retrieve(int number);

    /**
     * {@code DELE}: marks a message for deletion; the server deletes it at the graceful disconnect.
     *
     * @param number the message number, from 1
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} for a number below 1,
     *         {@link dev.unplug.api.ErrorKind#POP3_ERROR} for no such message
     */
    void delete(int number);

    /** {@code RSET}: unmarks every message marked for deletion in this session. */
    void reset();
}
