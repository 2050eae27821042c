package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.mail.Pop3Session;
import dev.unplug.api.mail.SmtpSession;
import dev.unplug.core.PluginHost;
import dev.unplug.transport.ClientAccess;
import java.io.Reader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mail through the real servers: send to alice over OpenSMTPD, wait (bounded) until OpenSMTPD has delivered it
 * into Dovecot's Maildir, find it over POP3.
 */
final class Mail {

    static final Duration DELIVERY = Duration.ofSeconds(15);
    static final Duration GOODBYE = Duration.ofSeconds(5);
    private static final Pattern QUEUED = Pattern.compile("\\b([0-9a-f]{8}) Message accepted");

    private Mail() {
    }

    /** A subject no other test or run uses. */
    static String uniqueTag(String what) {
        return "unplug-interop-" + what + "-" + UUID.randomUUID();
    }

    static String message(String tag) {
        return "From: Bob <bob@example.test>\r\n"
                + "To: Alice <alice@example.test>\r\n"
                + "Subject: " + tag + "\r\n"
                + "Message-ID: <" + tag + "@unplug.test>\r\n"
                + "\r\n"
                + "Hello Alice,\r\n"
                + ".a line that starts with a dot, body of " + tag + "\r\n";
    }

    /**
     * Sends a message with this tag as its subject to alice over SMTP, ending the session with QUIT, and waits until
     * OpenSMTPD logged its delivery.
     *
     * @return OpenSMTPD's queue id of the message (from its "Message accepted" reply)
     */
    static String sendAndAwaitDelivery(PluginHost host, String tag) {
        ServerLog smtpd = ServerLog.mark(ServerPaths.smtpdLog());
        String reply;
        try (Connection c = host.open(Server.SMTP.uri())) {
            c.connect();
            reply = c.unwrap(SmtpSession.class).send("bob@example.test", List.of("alice@example.test"), message(tag));
            assertThat(c.disconnect(GOODBYE).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
        Matcher m = QUEUED.matcher(reply);
        assertThat(m.find()).as("OpenSMTPD's reply to the end of data: %s", reply).isTrue();
        String msgid = m.group(1);
        smtpd.await("delivery of message " + msgid,
                " mda delivery evpid=" + msgid + "\\w* .*result=Ok stat=Delivered", DELIVERY);
        return msgid;
    }

    /** The number of the message with this subject in a POP3 session, newest first; 0 when there is none. */
    static int find(Connection c, String tag) {
        Pop3Session pop3 = c.unwrap(Pop3Session.class);
        @SuppressWarnings("unchecked")
        ClientAccess<org.apache.commons.net.pop3.POP3Client> raw = c.unwrap(ClientAccess.class);
        List<Pop3Session.Entry> entries = pop3.list();
        for (int i = entries.size() - 1; i >= 0; i--) {
            int n = entries.get(i).number();
            String header = raw.withClient("TOP " + n + " 0", client -> {
                try (Reader r = client.retrieveMessageTop(n, 0)) {
                    StringWriter w = new StringWriter();
                    if (r != null) {
                        r.transferTo(w);
                    }
                    return w.toString();
                }
            });
            if (header.contains("Subject: " + tag)) {
                return n;
            }
        }
        return 0;
    }

    /** Opens a POP3 session as alice and tells whether the message with this subject is in the maildrop. */
    static boolean inMaildrop(PluginHost host, String tag) {
        try (Connection c = host.open(Server.POP3.uri())) {
            c.connect();
            boolean found = find(c, tag) > 0;
            assertThat(c.disconnect(GOODBYE).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            return found;
        }
    }
}
