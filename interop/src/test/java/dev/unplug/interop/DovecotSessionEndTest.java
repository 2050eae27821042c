package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.mail.ImapSession;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.api.ConnectionState;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import dev.unplug.transport.ClientAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How Dovecot saw the end of an IMAP or POP3 session (see {@link DovecotLog}): {@code Disconnected: Logged out}
 * after LOGOUT / QUIT; {@code Disconnected: Connection closed} after a drop, with {@code Connection reset by peer}
 * when the drop resets.
 */
class DovecotSessionEndTest extends InteropTest {

    @Test
    void imapLogoutEndsTheSessionAsLoggedOutOnTheServer() {
        Server.IMAP.require();
        String end = endSession("imap", Options.empty(), c -> {
            c.unwrap(ImapSession.class).select("INBOX");
            DisconnectOutcome o = c.disconnect(Mail.GOODBYE);
            assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("OK"));
        });
        assertThat(end).startsWith("Disconnected: Logged out");
    }

    @Test
    void imapDropEndsTheSessionAsClosedWithoutLogoutOnTheServer() {
        Server.IMAP.require();
        String end = endSession("imap", Options.empty(), c -> {
            c.unwrap(ImapSession.class).select("INBOX");
            assertThat(c.drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        });
        assertThat(end).startsWith("Disconnected: Connection closed").doesNotContain("Logged out");
    }

    @Test
    void imapDropWithResetShowsTheResetOnTheServer() {
        Server.IMAP.require();
        String end = endSession("imap", Options.builder().set(Options.RESET_ON_DROP, true).build(), c -> {
            c.unwrap(ImapSession.class).select("INBOX");
            assertThat(c.drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        });
        assertThat(end).startsWith("Disconnected: Connection closed").contains("Connection reset by peer");
    }

    @Test
    void pop3QuitEndsTheSessionAsLoggedOutOnTheServer() {
        Server.POP3.require();
        String end = endSession("pop3", Options.empty(), c -> {
            c.unwrap(Pop3Session.class).stat();
            DisconnectOutcome o = c.disconnect(Mail.GOODBYE);
            assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).startsWith("+OK"));
        });
        assertThat(end).startsWith("Disconnected: Logged out");
    }

    @Test
    void pop3DropEndsTheSessionAsClosedWithoutQuitOnTheServer() {
        Server.POP3.require();
        String end = endSession("pop3", Options.empty(), c -> {
            c.unwrap(Pop3Session.class).stat();
            assertThat(c.drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        });
        assertThat(end).startsWith("Disconnected: Connection closed").doesNotContain("Logged out");
    }

    @Test
    void aHundredImapSessionsOfOneUserAreAllAcceptedAndAllEndCleanInOneShutdown() {
        Server.IMAP.require();
        try (PluginHost bulk = PluginHost.fromClassPath()) {
            List<Connection> sessions = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Connection c = bulk.open(Server.IMAP.uri(), Options.empty());
                c.connect();
                c.unwrap(ImapSession.class).select("INBOX");
                sessions.add(c);
            }
            ShutdownReport report = bulk.shutdown(Duration.ofSeconds(10));
            assertThat(report.count(DisconnectOutcome.Kind.CLEAN)).as("%s", report).isEqualTo(100);
            assertThat(sessions).allSatisfy(c -> assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED));
        }
    }

    private interface Ending {
        void run(Connection c);
    }

    /** Opens a session as alice, lets {@code ending} work and end it, and returns Dovecot's last line for it. */
    private static String endSession(String protocol, Options options, Ending ending) {
        Server server = protocol.equals("imap") ? Server.IMAP : Server.POP3;
        ServerLog log = ServerLog.mark(ServerPaths.dovecotLog());
        int port;
        try (Connection c = host.open(server.uri(), options)) {
            c.connect();
            ClientAccess<?> access = c.unwrap(ClientAccess.class);
            port = access.withClient("local port", cl -> cl.getLocalPort());
            ending.run(c);
        }
        return DovecotLog.sessionEnd(log, protocol, port);
    }
}
