package dev.unplug.api.mail;

import dev.unplug.api.UnplugException;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The IMAP work of a connection: {@code connection.unwrap(ImapSession.class)}. An interface of the api, so an
 * application reaches it from a plugin loaded from a plugins folder too. On the class path, run your own commands
 * on the Apache Commons Net client with {@code connection.unwrap(dev.unplug.transport.ClientAccess.class)} (not
 * across a plugins folder, whose Commons Net is the plugin's own).
 *
 * <p>Thread-safe: commands run one at a time, and a graceful disconnect waits for the one in flight.
 * Every method raises {@link UnplugException}: {@link dev.unplug.api.ErrorKind#IMAP_NO} or
 * {@link dev.unplug.api.ErrorKind#IMAP_BAD} with the tagged reply line when the server refuses (the connection
 * stays open); {@link dev.unplug.api.ErrorKind#IMAP_BYE} when the server says {@code * BYE} unasked (the
 * connection has then ended); {@link dev.unplug.api.ErrorKind#NOT_CONNECTED} /
 * {@link dev.unplug.api.ErrorKind#NOT_INITIALISED} outside a session; {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT}
 * for nulls and {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} for arguments with line breaks; or an I/O kind
 * when the wire fails (then the connection has ended).
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface ImapSession {

    /** Option: how to log in, {@code login} ({@code LOGIN}, the default) or {@code plain} ({@code AUTHENTICATE PLAIN}). */
    String AUTH = "imapAuth";

    /**
     * Selects a mailbox ({@code SELECT}).
     *
     * @param mailbox the mailbox name, such as {@code INBOX}
     * @return the number of messages in it (the {@code * n EXISTS} answer)
     */
    int select(String mailbox);

    /**
     * Fetches data of messages ({@code FETCH}).
     *
     * @param sequenceSet message numbers, such as {@code 1} or {@code 1:*}
     * @param items the data items, such as {@code BODY[]}, {@code (FLAGS ENVELOPE)} or {@code RFC822.HEADER}
     * @return the server's answer, every line (literals included) up to and including the tagged {@code OK},
     *         joined with CRLF
     */
    String fetch(String sequenceSet, String items);

    /**
     * Searches the selected mailbox ({@code SEARCH}).
     *
     * @param criteria search criteria, such as {@code ALL}, {@code UNSEEN} or {@code SUBJECT "hello"}
     * @return the numbers of the matching messages, in the server's order
     */
    List<Integer> search(String criteria);

    /**
     * Changes flags ({@code STORE}), for example {@code store("1", "+FLAGS", "(\\Deleted)")}.
     *
     * @param sequenceSet message numbers
     * @param item {@code FLAGS}, {@code +FLAGS}, {@code -FLAGS} or their {@code .SILENT} forms
     * @param flags the flag list, such as {@code (\Seen)}
     */
    void store(String sequenceSet, String item, String flags);

    /**
     * Removes the messages flagged {@code \Deleted} from the selected mailbox ({@code EXPUNGE}).
     *
     * @return the number of messages removed (the {@code * n EXPUNGE} answers)
     */
    int expunge();

    /**
     * Asks for a mailbox's status without selecting it ({@code STATUS}).
     *
     * @param mailbox the mailbox name
     * @param items the items, such as {@code MESSAGES}, {@code UNSEEN}, {@code UIDNEXT}; at least one
     * @return each item and its value, upper case names, in the server's order
     */
    Map<String, Long> status(String mailbox, String... items);
}
