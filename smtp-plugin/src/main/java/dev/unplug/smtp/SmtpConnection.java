package dev.unplug.smtp;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.SmtpSession;
import dev.unplug.transport.InternetTransportConnection;
import dev.unplug.transport.ServerReply;
import java.io.Writer;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient.AUTH_METHOD;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPConnectionClosedException;
import org.apache.commons.net.smtp.SMTPReply;

/**
 * An SMTP connection: EHLO (HELO when refused), STARTTLS when asked, AUTH PLAIN or LOGIN when a user is given,
 * QUIT expecting 221. Everything else is the shared base. Thread-safe.
 */
final class SmtpConnection extends InternetTransportConnection<AuthenticatingSMTPClient> implements SmtpSession {

    private static final int CLOSING = 221;

    private volatile String hello = "";

    SmtpConnection(URI uri, Options options, int defaultPort) {
        super("smtp", uri, options, defaultPort);
    }

    @Override
    protected AuthenticatingSMTPClient createClient() {
        return new AuthenticatingSMTPClient();
    }

    @Override
    protected void greet(AuthenticatingSMTPClient c) throws Exception {
        require("greeting", reply(c));
        sayHello(c);
    }

    @Override
    protected void startTls(AuthenticatingSMTPClient c) throws Exception {
        if (!SMTPReply.isPositiveCompletion(c.sendCommand("STARTTLS"))) {
            throw replyError(ErrorKind.SECURE_CONNECT_FAILED, "STARTTLS", reply(c));
        }
    }

    @Override
    protected void secured(AuthenticatingSMTPClient c) throws Exception {
        sayHello(c);
    }

    @Override
    protected void authenticate(AuthenticatingSMTPClient c, String user, String password) throws Exception {
        AUTH_METHOD method = hello.toUpperCase(Locale.ROOT).matches("(?s).*AUTH[ =][^\n]*\\bPLAIN\\b.*")
                || !hello.toUpperCase(Locale.ROOT).contains("LOGIN") ? AUTH_METHOD.PLAIN : AUTH_METHOD.LOGIN;
        // a 2xx at once (no 334 challenge) also means the server accepted the login
        if (!c.auth(method, user, password) && !SMTPReply.isPositiveCompletion(c.getReplyCode())) {
            throw replyError(ErrorKind.AUTHENTICATION_FAILED, "AUTH " + method.name() + " as " + user, reply(c));
        }
    }

    @Override
    protected ServerReply goodbye(AuthenticatingSMTPClient c) throws Exception {
        int code = c.quit();
        return new ServerReply(code, c.getReplyString(), code == CLOSING);
    }

    @Override
    protected ErrorKind errorKind(ServerReply reply) {
        return ErrorKind.SMTP_ERROR;
    }

    @Override
    protected UnplugException translate(Exception failure, String during) {
        if (failure instanceof SMTPConnectionClosedException && failure.getMessage() != null
                && failure.getMessage().contains("421")) {
            AuthenticatingSMTPClient c = connectedClient();
            return replyError(during + " (the server is closing the session)", reply(c));
        }
        return super.translate(failure, during);
    }

    // ------------------------------------------------------------------ SmtpSession

    @Override
    public String send(String from, List<String> to, String message) {
        String sender = address(from, "from");
        UnplugException.requireNonNull(to, "to");
        UnplugException.requireNonNull(message, "message");
        if (to.isEmpty()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "send on " + uri() + " needs a recipient");
        }
        List<String> recipients = to.stream().map(r -> address(r, "recipient")).toList();
        return command("send to " + recipients, () -> {
            AuthenticatingSMTPClient c = connectedClient();
            require("MAIL FROM:<" + sender + ">", reply(c.mail("<" + sender + ">"), c));
            for (String r : recipients) {
                require("RCPT TO:<" + r + ">", reply(c.rcpt("<" + r + ">"), c));
            }
            Writer data = c.sendMessageData();
            if (data == null) {
                throw replyError("DATA", reply(c));
            }
            data.write(message);
            data.close();
            c.completePendingCommand();
            return require("end of DATA", reply(c)).line();
        });
    }

    @Override
    public String noop() {
        return command("NOOP", () -> {
            AuthenticatingSMTPClient c = connectedClient();
            return require("NOOP", reply(c.noop(), c)).line();
        });
    }

    @Override
    public String hello() {
        return hello;
    }

    // ------------------------------------------------------------------ internals

    private void sayHello(AuthenticatingSMTPClient c) throws Exception {
        String me = "[" + c.getLocalAddress().getHostAddress() + "]";
        if (!reply(c.ehlo(me), c).positive()) {
            require("HELO", reply(c.helo(me), c));
        }
        hello = reply(c).line();
    }

    private String address(String a, String what) {
        UnplugException.requireNonNull(a, what);
        if (a.chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch == '<' || ch == '>')) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, what + " address for " + uri()
                    + " must not contain a line break or angle bracket");
        }
        return a.strip();
    }

    private static ServerReply reply(AuthenticatingSMTPClient c) {
        return ServerReply.numeric(c.getReplyCode(), c.getReplyString());
    }

    private static ServerReply reply(int code, AuthenticatingSMTPClient c) {
        return ServerReply.numeric(code, c.getReplyString());
    }
}
