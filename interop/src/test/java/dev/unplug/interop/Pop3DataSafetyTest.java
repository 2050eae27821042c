package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.pop3.Pop3Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POP3 commits deletions only on QUIT (RFC 1939 UPDATE state): against Dovecot, a message marked for deletion is
 * gone after a graceful disconnect and still there after a drop. Dovecot's log line for the session says the same
 * ({@code del=1/n} after QUIT, {@code del=0/n} after the drop).
 */
class Pop3DataSafetyTest extends InteropTest {

    @BeforeEach
    void serversRun() {
        Server.SMTP.require();
        Server.POP3.require();
    }

    @Test
    void messageMarkedForDeletionIsGoneAfterGracefulDisconnect() {
        String tag = Mail.uniqueTag("pop3-quit");
        Mail.sendAndAwaitDelivery(host, tag);
        ServerLog dovecot = ServerLog.mark(ServerPaths.dovecotLog());

        DisconnectOutcome outcome;
        int port;
        try (Connection c = host.open(Server.POP3.uri())) {
            c.connect();
            Pop3Session pop3 = c.unwrap(Pop3Session.class);
            port = pop3.withClient("local port", cl -> cl.getLocalPort());
            int n = Mail.find(pop3, tag);
            assertThat(n).as("message %s in alice's maildrop", tag).isPositive();
            pop3.delete(n);
            outcome = c.disconnect(Mail.GOODBYE);
        }

        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(DovecotLog.sessionEnd(dovecot, "pop3", port))
                .startsWith("Disconnected: Logged out").containsPattern("del=1/\\d+");
        assertThat(Mail.inMaildrop(host, tag)).as("message still in the maildrop after QUIT").isFalse();
    }

    @Test
    void messageMarkedForDeletionSurvivesDrop() {
        String tag = Mail.uniqueTag("pop3-drop");
        Mail.sendAndAwaitDelivery(host, tag);
        ServerLog dovecot = ServerLog.mark(ServerPaths.dovecotLog());

        DisconnectOutcome outcome;
        int port;
        try (Connection c = host.open(Server.POP3.uri())) {
            c.connect();
            Pop3Session pop3 = c.unwrap(Pop3Session.class);
            port = pop3.withClient("local port", cl -> cl.getLocalPort());
            int n = Mail.find(pop3, tag);
            assertThat(n).as("message %s in alice's maildrop", tag).isPositive();
            pop3.delete(n);
            outcome = c.drop();
        }

        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(DovecotLog.sessionEnd(dovecot, "pop3", port))
                .startsWith("Disconnected: Connection closed").containsPattern("del=0/\\d+");
        assertThat(Mail.inMaildrop(host, tag)).as("message in the maildrop after the drop").isTrue();
    }
}
