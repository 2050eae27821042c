package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.mail.SmtpSession;
import java.net.URI;
import java.util.List;

/** The demo's SMTP part: sends one message to the demo user through the smtp plugin. */
final class SmtpDemo implements ProtocolDemo {

    static final String SUBJECT = "unplug demo";

    private final MailServers mail;

    SmtpDemo(MailServers mail) {
        this.mail = mail;
    }

    @Override
    public String protocol() {
        return "SMTP";
    }

    @Override
    public String scheme() {
        return "smtp";
    }

    @Override
    public URI uri() {
        return mail.uri("smtp");
    }

    @Override
    public String work(Connection connection) {
        SmtpSession smtp = connection.unwrap(SmtpSession.class);
        String message = "From: demo@localhost\r\nTo: " + MailServers.ADDRESS + "\r\nSubject: " + SUBJECT
                + "\r\n\r\nHello from unplug: this message travels SMTP -> IMAP -> POP3.\r\n";
        String reply = smtp.send("demo@localhost", List.of(MailServers.ADDRESS), message);
        return "sent 1 message to " + MailServers.ADDRESS + " (" + reply.strip().split("\\s+")[0] + ")";
    }

    @Override
    public String afterGraceful() {
        int held = mail.awaitMessages(1);
        if (held != 1) {
            throw new IllegalStateException("the server holds " + held + " messages instead of the one sent");
        }
        return "delivered";
    }
}
