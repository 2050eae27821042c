package dev.unplug.nntp;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.NntpGroup;
import dev.unplug.api.mail.NntpSession;
import dev.unplug.transport.InternetTransportConnection;
import dev.unplug.transport.ServerReply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.nntp.NNTPClient;
import org.apache.commons.net.nntp.NNTPConnectionClosedException;
import org.apache.commons.net.nntp.NNTPReply;
import org.apache.commons.net.nntp.NewsgroupInfo;

/**
 * An NNTP connection: what differs from the other internet transports is the greeting check, {@code MODE READER},
 * {@code AUTHINFO USER/PASS}, the {@code QUIT} goodbye (accepted only with 205) and the reply-code mapping
 * (481/482 are authentication failures, every other refusal {@link ErrorKind#NNTP_ERROR}). Everything else
 * (timeouts, TLS, deadline, drop) is the shared base's. Thread-safe.
 */
final class NntpConnection extends InternetTransportConnection<NNTPClient> implements NntpSession {

    /** RFC 4642's "continue with TLS negotiation". */
    private static final int STARTTLS_GO_AHEAD = 382;

    /** An article longer than this ends the connection instead of filling the memory. */
    static final int MAX_ARTICLE_CHARS = 32 * 1024 * 1024;
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+@[^<>\\s]+>");

    NntpConnection(URI uri, Options options, int defaultPort) {
        super("nntp", uri, options, defaultPort);
    }

    // ------------------------------------------------------------------ the protocol's hooks

    @Override
    protected NNTPClient createClient() {
        return new NNTPClient();
    }

    @Override
    protected void greet(NNTPClient client) throws IOException {
        int greeting = client.getReplyCode();
        if (greeting != NNTPReply.SERVER_READY_POSTING_ALLOWED && greeting != NNTPReply.SERVER_READY_POSTING_NOT_ALLOWED) {
            throw replyError("greeting", reply(client));
        }
        int mode = client.sendCommand("MODE READER");
        // 500/501: a server of RFC 977's time that knows no MODE and is a reader server anyway
        if (mode != 200 && mode != 201 && mode != 500 && mode != 501) {
            throw replyError("MODE READER", reply(client));
        }
    }

    /** STARTTLS (RFC 4642), when option {@code starttls} is true: 382 and a handshake, or the refusal, typed. */
    @Override
    protected void startTls(NNTPClient client) throws IOException {
        int code = client.sendCommand("STARTTLS");
        if (code != STARTTLS_GO_AHEAD) {
            throw replyError(ErrorKind.SECURE_CONNECT_FAILED, "STARTTLS", ServerReply.numeric(code,
                    client.getReplyString()));
        }
    }

    @Override
    protected void authenticate(NNTPClient client, String user, String password) throws IOException {
        line(user, "user name", false);
        if (password.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the password for " + uri()
                    + " holds a line break or NUL, which NNTP cannot send");
        }
        int code = client.authinfoUser(user);
        if (code == NNTPReply.MORE_AUTH_INFO_REQUIRED) {
            code = client.authinfoPass(password);
        }
        if (code != NNTPReply.AUTHENTICATION_ACCEPTED) {
            String line = client.getReplyString();
            if (!password.isEmpty() && line != null) {
                line = line.replace(password, Redaction.MASK);
            }
            throw replyError(ErrorKind.AUTHENTICATION_FAILED, "AUTHINFO", ServerReply.numeric(code, line));
        }
    }

    @Override
    protected ServerReply goodbye(NNTPClient client) throws IOException {
        int code = client.quit();
        return new ServerReply(code, client.getReplyString(), code == NNTPReply.CLOSING_CONNECTION);
    }

    @Override
    protected ErrorKind errorKind(ServerReply reply) {
        return reply.code() == NNTPReply.AUTHENTICATION_REJECTED
                || reply.code() == NNTPReply.AUTHENTICATION_REJECTED + 1 ? ErrorKind.AUTHENTICATION_FAILED
                : ErrorKind.NNTP_ERROR;
    }

    @Override
    protected UnplugException translate(Exception failure, String during) {
        if (failure instanceof NNTPConnectionClosedException) {
            // Commons Net raises this for a 400 reply (service discontinued): keep the server's words
            String line = replyLine();
            if (line != null && line.startsWith("400")) {
                return new UnplugException(ErrorKind.NNTP_ERROR, "nntp " + during + " on " + uri()
                        + " ended: the server closed the session: " + line, failure, 400, line);
            }
        }
        return super.translate(failure, during);
    }

    // ------------------------------------------------------------------ the session

    @Override
    public NntpGroup group(String name) {
        line(name, "group name", true);
        return withClient("GROUP " + name, c -> {
            NewsgroupInfo info = new NewsgroupInfo();
            if (!c.selectNewsgroup(name, info)) {
                throw replyError("GROUP " + name, reply(c));
            }
            return new NntpGroup(name, info.getArticleCountLong(), info.getFirstArticleLong(),
                    info.getLastArticleLong());
        });
    }

    @Override
    public String post(String from, String newsgroups, String subject, String body) {
        line(from, "from", true);
        line(newsgroups, "newsgroups", true);
        line(subject, "subject", true);
        UnplugException.requireNonNull(body, "body");
        String generated = "<" + UUID.randomUUID() + "@unplug.invalid>";
        String article = "From: " + from + "\r\nNewsgroups: " + newsgroups + "\r\nSubject: " + subject
                + "\r\nMessage-ID: " + generated + "\r\n\r\n" + body + (body.endsWith("\n") ? "" : "\r\n");
        return withClient("POST to " + newsgroups, c -> {
            Writer w = c.postArticle();
            if (w == null) {
                throw replyError("POST", reply(c));
            }
            w.write(article);
            w.close();
            if (!c.completePendingCommand()) {
                throw replyError("POST", reply(c));
            }
            Matcher m = MESSAGE_ID.matcher(c.getReplyString());
            return m.find() ? m.group() : generated;
        });
    }

    @Override
    public String article(long number) {
        return withClient("ARTICLE " + number, c -> read(c, "ARTICLE " + number, c.retrieveArticle(number)));
    }

    @Override
    public String article(String messageId) {
        line(messageId, "message-id", true);
        if (!messageId.startsWith("<") || !messageId.endsWith(">") || messageId.contains(" ")) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "a message-id looks like <local@domain>, not '"
                    + messageId + "'");
        }
        return withClient("ARTICLE " + messageId, c -> read(c, "ARTICLE " + messageId,
                c.retrieveArticle(messageId)));
    }

    @Override
    public List<NntpGroup> listGroups() {
        return withClient("LIST", c -> {
            NewsgroupInfo[] infos = c.listNewsgroups();
            if (infos == null) {
                throw replyError("LIST", reply(c));
            }
            List<NntpGroup> groups = new ArrayList<>(infos.length);
            for (NewsgroupInfo i : infos) {
                groups.add(new NntpGroup(i.getNewsgroup(), i.getArticleCountLong(), i.getFirstArticleLong(),
                        i.getLastArticleLong()));
            }
            return List.copyOf(groups);
        });
    }

    // ------------------------------------------------------------------ internals

    private String read(NNTPClient client, String what, Reader article) throws IOException {
        if (article == null) {
            throw replyError(what, reply(client));
        }
        StringBuilder text = new StringBuilder();
        try (BufferedReader in = new BufferedReader(article)) {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                if (text.length() + l.length() > MAX_ARTICLE_CHARS) {
                    // the rest is still on the wire: the session cannot go on, so this ends the connection
                    throw new IOException(what + " is longer than " + MAX_ARTICLE_CHARS + " characters");
                }
                text.append(l).append("\r\n");
            }
        }
        return text.toString();
    }

    private static ServerReply reply(NNTPClient client) {
        return ServerReply.numeric(client.getReplyCode(), client.getReplyString());
    }

    /** The last reply line, or null before there is one. */
    private String replyLine() {
        try {
            return connectedClient().getReplyString();
        } catch (RuntimeException notConnected) {
            return null;
        }
    }

    /**
     * Checks text that goes on a command or header line.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null, {@link ErrorKind#INVALID_ARGUMENT} when
     *         empty or holding a line break or NUL (which would smuggle a command or a header)
     */
    private static void line(String value, String what, boolean shown) {
        UnplugException.requireNonNull(value, what);
        if (value.isEmpty() || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, what + " must be non-empty text without line"
                    + " breaks" + (shown ? ", not '" + value.replace("\r", "\\r").replace("\n", "\\n") + "'" : ""));
        }
    }
}
