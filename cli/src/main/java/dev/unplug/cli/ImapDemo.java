package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.mail.ImapSession;
import java.net.URI;

/** The demo's IMAP part: selects INBOX and fetches the message SMTP delivered, through the imap plugin. */
final class ImapDemo implements ProtocolDemo {

    private final MailServers mail;

    ImapDemo(MailServers mail) {
        this.mail = mail;
    }

    @Override
    public String protocol() {
        return "IMAP";
    }

    @Override
    public String scheme() {
        return "imap";
    }

    @Override
    public URI uri() {
        return mail.uri("imap");
    }

    @Override
    public String work(Connection connection) {
        ImapSession imap = connection.unwrap(ImapSession.class);
        int exists = imap.select("INBOX");
        if (exists < 1) {
            throw new IllegalStateException("INBOX is empty: SMTP delivered nothing");
        }
        String fetched = imap.fetch("1", "BODY.PEEK[]");
        if (!fetched.contains(SmtpDemo.SUBJECT)) {
            throw new IllegalStateException("message 1 of INBOX is not the one SMTP sent");
        }
        return "selected INBOX (" + exists + "), fetched #1 (subject \"" + SmtpDemo.SUBJECT + "\")";
    }
}
