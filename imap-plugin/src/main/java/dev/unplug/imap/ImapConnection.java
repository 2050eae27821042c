package dev.unplug.imap;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.ImapSession;
import dev.unplug.transport.InternetTransportConnection;
import dev.unplug.transport.ServerReply;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.net.imap.AuthenticatingIMAPClient;
import org.apache.commons.net.imap.IMAPCommand;
import org.apache.commons.net.imap.IMAPReply;

/**
 * An IMAP connection: what differs from the other internet transports is the greeting check, {@code STARTTLS},
 * {@code LOGIN} / {@code AUTHENTICATE PLAIN}, the {@code LOGOUT} goodbye (accepted only with the untagged
 * {@code * BYE} and the tagged {@code OK}) and the mapping of tagged {@code NO}/{@code BAD} and unsolicited
 * {@code BYE}. Everything else (timeouts, TLS, deadline, drop) is the shared base's. Thread-safe.
 */
final class ImapConnection extends InternetTransportConnection<AuthenticatingIMAPClient> implements ImapSession {

    private final boolean plainAuth;

    ImapConnection(URI uri, Options options, int defaultPort) {
        super("imap", uri, options, defaultPort);
        String auth = options().get(AUTH).orElse("login").trim().toLowerCase(Locale.ROOT);
        if (!auth.equals("login") && !auth.equals("plain")) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option " + AUTH + " of " + uri()
                    + " must be login or plain, not '" + auth + "'");
        }
        this.plainAuth = auth.equals("plain");
    }

    // ------------------------------------------------------------------ the protocol's hooks

    @Override
    protected AuthenticatingIMAPClient createClient() {
        return new AuthenticatingIMAPClient(false);
    }

    @Override
    protected void greet(AuthenticatingIMAPClient client) {
        String greeting = ImapReplies.tagged(client.getReplyStrings());
        if (!greeting.regionMatches(true, 0, "* OK", 0, 4)) {
            ErrorKind kind = greeting.regionMatches(true, 0, "* BAD", 0, 5) ? ErrorKind.IMAP_BAD : ErrorKind.IMAP_NO;
            throw replyError(kind, "greeting", ServerReply.textual(false, greeting));
        }
    }

    @Override
    protected void startTls(AuthenticatingIMAPClient client) throws IOException {
        if (client.sendCommand(IMAPCommand.STARTTLS) != IMAPReply.OK) {
            throw replyError(ErrorKind.SECURE_CONNECT_FAILED, "STARTTLS",
                    ServerReply.textual(false, ImapReplies.tagged(client.getReplyStrings())));
        }
    }

    @Override
    protected void authenticate(AuthenticatingIMAPClient client, String user, String password) throws Exception {
        ImapReplies.arg(user, "user name", false);
        if (password.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the password for " + uri()
                    + " holds a line break or NUL, which IMAP cannot send");
        }
        boolean ok;
        if (plainAuth) {
            ok = client.authenticate(AuthenticatingIMAPClient.AUTH_METHOD.PLAIN, user, password);
        } else {
            ok = ImapReplies.status(ImapReplies.tagged(send(client, "LOGIN",
                    ImapReplies.quote(user) + " " + ImapReplies.quote(password)))).equals("OK");
        }
        String[] lines = client.getReplyStrings();
        String bye = ImapReplies.bye(lines);
        if (bye != null) {
            throw new UnsolicitedBye(bye);
        }
        if (!ok) {
            String line = ImapReplies.tagged(lines);
            if (!password.isEmpty()) {
                line = line.replace(password, Redaction.MASK);
            }
            throw replyError(ErrorKind.AUTHENTICATION_FAILED, plainAuth ? "AUTHENTICATE PLAIN" : "LOGIN",
                    ServerReply.textual(false, line));
        }
    }

    @Override
    protected ServerReply goodbye(AuthenticatingIMAPClient client) throws IOException {
        String[] lines = send(client, "LOGOUT", null);
        String tagged = ImapReplies.tagged(lines);
        boolean accepted = ImapReplies.status(tagged).equals("OK") && ImapReplies.bye(lines) != null;
        return ServerReply.textual(accepted, tagged);
    }

    @Override
    protected ErrorKind errorKind(ServerReply reply) {
        return ImapReplies.kindOf(reply.line());
    }

    @Override
    protected UnplugException translate(Exception failure, String during) {
        String bye = failure instanceof UnsolicitedBye u ? u.line : null;
        if (bye == null && failure instanceof IOException && !during.equals("goodbye")) {
            bye = lastBye();
        }
        if (bye != null) {
            return new UnplugException(ErrorKind.IMAP_BYE, "imap " + during + " on " + uri()
                    + " ended: the server said goodbye unasked: " + bye, failure, -1, bye);
        }
        return super.translate(failure, during);
    }

    // ------------------------------------------------------------------ the session

    @Override
    public int select(String mailbox) {
        String m = ImapReplies.quote(ImapReplies.arg(mailbox, "mailbox", true));
        return withClient("SELECT " + mailbox, c -> ImapReplies.exists(require(c, "SELECT " + mailbox, "SELECT", m)));
    }

    @Override
    public String fetch(String sequenceSet, String items) {
        String args = ImapReplies.arg(sequenceSet, "sequence set", true) + " " + ImapReplies.arg(items, "items", true);
        return withClient("FETCH " + args, c -> String.join("\r\n", require(c, "FETCH " + args, "FETCH", args)));
    }

    @Override
    public List<Integer> search(String criteria) {
        String args = ImapReplies.arg(criteria, "criteria", true);
        return withClient("SEARCH " + args, c -> List.copyOf(ImapReplies.searchResults(
                require(c, "SEARCH " + args, "SEARCH", args))));
    }

    @Override
    public void store(String sequenceSet, String item, String flags) {
        String args = ImapReplies.arg(sequenceSet, "sequence set", true) + " " + ImapReplies.arg(item, "item", true)
                + " " + ImapReplies.arg(flags, "flags", true);
        withClient("STORE " + args, c -> require(c, "STORE " + args, "STORE", args));
    }

    @Override
    public int expunge() {
        return withClient("EXPUNGE", c -> ImapReplies.expunged(require(c, "EXPUNGE", "EXPUNGE", null)));
    }

    @Override
    public Map<String, Long> status(String mailbox, String... items) {
        String m = ImapReplies.quote(ImapReplies.arg(mailbox, "mailbox", true));
        UnplugException.requireNonNull(items, "items");
        if (items.length == 0) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "STATUS needs at least one item, such as MESSAGES");
        }
        StringBuilder list = new StringBuilder();
        for (String item : items) {
            list.append(list.length() == 0 ? "(" : " ").append(ImapReplies.arg(item, "status item", true));
        }
        String args = m + " " + list.append(')');
        return withClient("STATUS " + mailbox, c -> Collections.unmodifiableMap(ImapReplies.statusItems(
                require(c, "STATUS " + mailbox, "STATUS", args))));
    }

    // ------------------------------------------------------------------ internals

    /** Sends a command and returns every line of its answer. */
    private static String[] send(AuthenticatingIMAPClient client, String command, String args) throws IOException {
        client.sendCommand(command, args);
        return client.getReplyStrings();
    }

    /**
     * Sends a command and returns its answer when the tagged status is OK.
     *
     * @throws UnsolicitedBye when the server said {@code * BYE}: the session is over
     * @throws UnplugException {@code IMAP_NO}/{@code IMAP_BAD} for a refusal
     */
    private String[] require(AuthenticatingIMAPClient client, String what, String command, String args)
            throws IOException {
        String[] lines = send(client, command, args);
        String bye = ImapReplies.bye(lines);
        if (bye != null) {
            throw new UnsolicitedBye(bye);
        }
        String tagged = ImapReplies.tagged(lines);
        if (!ImapReplies.status(tagged).equals("OK")) {
            throw replyError(what, ServerReply.textual(false, tagged));
        }
        return lines;
    }

    /** The {@code * BYE} the server sent in its last answer, or null. */
    private String lastBye() {
        try {
            return ImapReplies.bye(connectedClient().getReplyStrings());
        } catch (RuntimeException notConnected) {
            return null;
        }
    }

    /** The server ended the session with an unsolicited {@code * BYE}: an I/O failure, so the connection ends. */
    private static final class UnsolicitedBye extends IOException {
        private static final long serialVersionUID = 1L;
        private final String line;

        UnsolicitedBye(String line) {
            super("the server sent " + line);
            this.line = line;
        }
    }
}
