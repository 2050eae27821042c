package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.transport.ClientAccess;
import java.util.function.Function;
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
        Ended ended = deleteOneMessageThenEnd("pop3-quit", c -> c.disconnect(Mail.GOODBYE));

        assertThat(ended.outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(ended.dovecotSessionEnd()).startsWith("Disconnected: Logged out").containsPattern("del=1/\\d+");
        assertThat(Mail.inMaildrop(host, ended.tag)).as("message still in the maildrop after QUIT").isFalse();
    }

    @Test
    void messageMarkedForDeletionSurvivesDrop() {
        Ended ended = deleteOneMessageThenEnd("pop3-drop", Connection::drop);

        assertThat(ended.outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(ended.dovecotSessionEnd())
                .startsWith("Disconnected: Connection closed").containsPattern("del=0/\\d+");
        assertThat(Mail.inMaildrop(host, ended.tag)).as("message in the maildrop after the drop").isTrue();
    }

    /** How a POP3 session that marked one new message for deletion ended, and what Dovecot logged for it. */
    private record Ended(String tag, DisconnectOutcome outcome, int port, ServerLog dovecot) {
        String dovecotSessionEnd() {
            return DovecotLog.sessionEnd(dovecot, "pop3", port);
        }
    }

    private static Ended deleteOneMessageThenEnd(String tagPrefix, Function<Connection, DisconnectOutcome> end) {
        String tag = Mail.uniqueTag(tagPrefix);
        Mail.sendAndAwaitDelivery(host, tag);
        ServerLog dovecot = ServerLog.mark(ServerPaths.dovecotLog());
        try (Connection c = host.open(Server.POP3.uri())) {
            c.connect();
            Pop3Session pop3 = c.unwrap(Pop3Session.class);
            ClientAccess<?> access = c.unwrap(ClientAccess.class);
            int port = access.withClient("local port", cl -> cl.getLocalPort());
            int n = Mail.find(c, tag);
            assertThat(n).as("message %s in alice's maildrop", tag).isPositive();
            pop3.delete(n);
            return new Ended(tag, end.apply(c), port, dovecot);
        }
    }
}
