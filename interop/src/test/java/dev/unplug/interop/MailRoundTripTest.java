package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.mail.ImapSession;
import dev.unplug.api.mail.Pop3Session;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A message sent to alice through OpenSMTPD is read back from Dovecot over IMAP and over POP3. */
class MailRoundTripTest extends InteropTest {

    @BeforeEach
    void serversRun() {
        Server.SMTP.require();
        Server.IMAP.require();
        Server.POP3.require();
    }

    @Test
    void messageSentThroughOpenSmtpdIsReadBackOverImapAndPop3() {
        String tag = Mail.uniqueTag("roundtrip");
        Mail.sendAndAwaitDelivery(host, tag);

        try (Connection c = host.open(Server.IMAP.uri())) {
            c.connect();
            ImapSession imap = c.unwrap(ImapSession.class);
            assertThat(imap.select("INBOX")).isPositive();
            List<Integer> found = imap.search("SUBJECT \"" + tag + "\"");
            assertThat(found).as("IMAP SEARCH for %s", tag).hasSize(1);
            assertThat(imap.fetch(String.valueOf(found.get(0)), "BODY.PEEK[]"))
                    .contains("Subject: " + tag, "From: Bob <bob@example.test>", "Hello Alice,",
                            ".a line that starts with a dot, body of " + tag);
            assertThat(c.disconnect(Mail.GOODBYE).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }

        try (Connection c = host.open(Server.POP3.uri())) {
            c.connect();
            Pop3Session pop3 = c.unwrap(Pop3Session.class);
            int n = Mail.find(c, tag);
            assertThat(n).as("POP3 message with subject %s", tag).isPositive();
            assertThat(pop3.retrieve(n)).contains("Subject: " + tag, "Hello Alice,",
                    "\r\n.a line that starts with a dot, body of " + tag);
            assertThat(c.disconnect(Mail.GOODBYE).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
    }
}
