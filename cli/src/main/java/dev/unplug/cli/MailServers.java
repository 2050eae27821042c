package dev.unplug.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;

/**
 * GreenMail's SMTP, POP3 and IMAP servers in this JVM, on {@code 127.0.0.1} with ports chosen by the system,
 * and one demo user. Closing stops them. Not thread-safe.
 */
final class MailServers implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final String USER = "alice";
    static final String PASSWORD = "demo-secret";
    static final String ADDRESS = "alice@localhost";

    private final GreenMail greenMail;

    private MailServers(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    /** Starts the three servers and creates the demo user. */
    static MailServers start() {
        ServerSetup[] setups = {
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort(),
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_POP3).dynamicPort(),
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAP).dynamicPort()
        };
        GreenMail g = new GreenMail(setups);
        g.start();
        g.setUser(ADDRESS, USER, PASSWORD);
        return new MailServers(g);
    }

    /** The URI of one of the servers ({@code smtp}, {@code pop3}, {@code imap}), with the demo credentials. */
    URI uri(String scheme) {
        int port = switch (scheme) {
            case "smtp" -> greenMail.getSmtp().getPort();
            case "pop3" -> greenMail.getPop3().getPort();
            case "imap" -> greenMail.getImap().getPort();
            default -> throw new IllegalArgumentException("no GreenMail server for " + scheme);
        };
        return URI.create(scheme + "://" + USER + ":" + PASSWORD + "@" + HOST + ":" + port);
    }

    /** The messages now in the demo user's mailbox, as the server sees them. */
    int messageCount() {
        MimeMessage[] received = greenMail.getReceivedMessages();
        return received.length;
    }

    /** Waits up to 2 s for at least {@code count} messages to arrive; returns how many there are. */
    int awaitMessages(int count) {
        if (messageCount() < count) {
            greenMail.waitForIncomingEmail(2_000, count);
        }
        return messageCount();
    }

    /** Where the servers listen, for the report's header. */
    String describe() {
        return "GreenMail: SMTP " + HOST + ":" + greenMail.getSmtp().getPort() + ", POP3 " + HOST + ":"
                + greenMail.getPop3().getPort() + ", IMAP " + HOST + ":" + greenMail.getImap().getPort()
                + " (user " + USER + ")";
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
