package dev.unplug.api.mail;

import dev.unplug.api.UnplugException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The NNTP work of a connection: {@code connection.unwrap(NntpSession.class)}. An interface of the api, so an
 * application reaches it from a plugin loaded from a plugins folder too. On the class path, run your own commands
 * on the Apache Commons Net client with {@code connection.unwrap(dev.unplug.transport.ClientAccess.class)} (not
 * across a plugins folder, whose Commons Net is the plugin's own).
 *
 * <p>Thread-safe: commands run one at a time, and a graceful disconnect waits for the one in flight.
 * Every method raises {@link UnplugException}: {@link dev.unplug.api.ErrorKind#NNTP_ERROR} with the reply code
 * and line when the server refuses (such as 411 no such group, 423/430 no such article, 441 posting failed; the
 * connection stays open), {@link dev.unplug.api.ErrorKind#AUTHENTICATION_FAILED} for 481/482,
 * {@link dev.unplug.api.ErrorKind#NOT_CONNECTED} / {@link dev.unplug.api.ErrorKind#NOT_INITIALISED} outside a
 * session, {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} for nulls and
 * {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} for arguments with line breaks, or an I/O kind when the wire
 * fails (then the connection has ended).
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface NntpSession {

    /**
     * Selects a group ({@code GROUP}).
     *
     * @param name the group's name
     * @return its article count and number range
     */
    NntpGroup group(String name);

    /**
     * Posts an article ({@code POST}) with a {@code Message-ID} made here, so that it is known even when the
     * server does not repeat it.
     *
     * @param from the {@code From} header, such as {@code alice@example.org}
     * @param newsgroups the {@code Newsgroups} header: one group or several separated by commas
     * @param subject the {@code Subject} header
     * @param body the body; lines end in LF or CRLF, leading dots are doubled for you
     * @return the article's message-id, such as {@code <...@unplug.invalid>} (the server's, when it names one)
     */
    String post(String from, String newsgroups, String subject, String body);

    /**
     * Reads an article of the selected group by number ({@code ARTICLE n}).
     *
     * @param number the article number
     * @return the article, headers, a blank line and the body, dot-unstuffed, lines separated by CRLF
     */
    String article(long number);

    /**
     * Reads an article by message-id ({@code ARTICLE <id>}), in any group.
     *
     * @param messageId the message-id, with its angle brackets
     * @return the article, headers, a blank line and the body, dot-unstuffed, lines separated by CRLF
     */
    String article(String messageId);

    /**
     * Lists the groups the server carries ({@code LIST}).
     *
     * @return every group with its article range
     */
    List<NntpGroup> listGroups();
}
