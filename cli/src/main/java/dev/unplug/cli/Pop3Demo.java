package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.mail.Pop3Session;
import java.net.URI;
import java.util.List;

/**
 * The demo's POP3 part: lists the mailbox, retrieves the message SMTP delivered and marks it deleted through the
 * pop3 plugin; after the graceful disconnect the server must have deleted it, since POP3's {@code QUIT} is what
 * commits deletions.
 */
final class Pop3Demo implements ProtocolDemo {

    private final MailServers mail;

    Pop3Demo(MailServers mail) {
        this.mail = mail;
    }

    @Override
    public String protocol() {
        return "POP3";
    }

    @Override
    public String scheme() {
        return "pop3";
    }

    @Override
    public URI uri() {
        return mail.uri("pop3");
    }

    @Override
    public String work(Connection connection) {
        Pop3Session pop3 = connection.unwrap(Pop3Session.class);
        List<Pop3Session.Entry> entries = pop3.list();
        if (entries.isEmpty()) {
            throw new IllegalStateException("the mailbox is empty: SMTP delivered nothing");
        }
        Pop3Session.Entry first = entries.get(0);
        String message = pop3.retrieve(first.number());
        if (!message.contains(SmtpDemo.SUBJECT)) {
            throw new IllegalStateException("message " + first.number() + " is not the one SMTP sent");
        }
        pop3.delete(first.number());
        return "listed " + entries.size() + ", retrieved #" + first.number() + ", deleted it";
    }

    @Override
    public String afterGraceful() {
        int left = mail.messageCount();
        if (left != 0) {
            throw new IllegalStateException("QUIT should have committed the deletion, but the server still holds "
                    + left + " message(s)");
        }
        return "QUIT committed the deletion";
    }
}
