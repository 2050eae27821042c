package dev.unplug.pop3;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.transport.InternetTransportConnection;
import dev.unplug.transport.ServerReply;
import java.io.Reader;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.net.pop3.POP3MessageInfo;
import org.apache.commons.net.pop3.POP3Reply;
import org.apache.commons.net.pop3.POP3SClient;

/**
 * A POP3 connection: checks the {@code +OK} greeting, STLS when asked, USER/PASS when a user is given, QUIT
 * expecting {@code +OK}. Everything else is the shared base. Thread-safe.
 */
final class Pop3Connection extends InternetTransportConnection<POP3SClient> implements Pop3Session {

    Pop3Connection(URI uri, Options options, int defaultPort) {
        super("pop3", uri, options, defaultPort);
    }

    @Override
    protected POP3SClient createClient() {
        return new POP3SClient(false);
    }

    @Override
    protected void greet(POP3SClient c) {
        require("greeting", reply(c));
    }

    @Override
    protected void startTls(POP3SClient c) throws Exception {
        if (c.sendCommand("STLS") != POP3Reply.OK) {
            throw replyError(ErrorKind.SECURE_CONNECT_FAILED, "STLS", reply(c));
        }
    }

    @Override
    protected void authenticate(POP3SClient c, String user, String password) throws Exception {
        if (!c.login(user, password)) {
            throw replyError(ErrorKind.AUTHENTICATION_FAILED, "login as " + user, reply(c));
        }
    }

    @Override
    protected ServerReply goodbye(POP3SClient c) throws Exception {
        boolean ok = c.logout();
        return ServerReply.textual(ok, c.getReplyString());
    }

    @Override
    protected ErrorKind errorKind(ServerReply reply) {
        return ErrorKind.POP3_ERROR;
    }

    // ------------------------------------------------------------------ Pop3Session

    @Override
    public Status stat() {
        return command("STAT", () -> {
            POP3SClient c = connectedClient();
            POP3MessageInfo info = c.status();
            if (info == null) {
                throw replyError("STAT", reply(c));
            }
            return new Status(info.number, info.size);
        });
    }

    @Override
    public List<Entry> list() {
        return command("LIST", () -> {
            POP3SClient c = connectedClient();
            POP3MessageInfo[] infos = c.listMessages();
            if (infos == null) {
                throw replyError("LIST", reply(c));
            }
            return Arrays.stream(infos).map(i -> new Entry(i.number, i.size)).toList();
        });
    }

    @Override
    public String retrieve(int number) {
        String what = "RETR " + positive(number);
        return command(what, () -> {
            POP3SClient c = connectedClient();
            try (Reader r = c.retrieveMessage(number)) {
                if (r == null) {
                    throw replyError(what, reply(c));
                }
                StringBuilder text = new StringBuilder();
                char[] buffer = new char[8192];
                for (int n = r.read(buffer); n >= 0; n = r.read(buffer)) {
                    text.append(buffer, 0, n);
                }
                return text.toString();
            }
        });
    }

    @Override
    public void delete(int number) {
        String what = "DELE " + positive(number);
        command(what, () -> {
            POP3SClient c = connectedClient();
            if (!c.deleteMessage(number)) {
                throw replyError(what, reply(c));
            }
            return null;
        });
    }

    @Override
    public void reset() {
        command("RSET", () -> {
            POP3SClient c = connectedClient();
            if (!c.reset()) {
                throw replyError("RSET", reply(c));
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ internals

    private int positive(int number) {
        if (number < 1) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "POP3 message numbers start at 1, not " + number
                    + " (" + uri() + ")");
        }
        return number;
    }

    private static ServerReply reply(POP3SClient c) {
        String line = c.getReplyString();
        return ServerReply.textual(line != null && line.startsWith("+OK"), line);
    }
}
