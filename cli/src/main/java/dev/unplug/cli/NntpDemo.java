package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.mail.NntpGroup;
import dev.unplug.api.mail.NntpSession;
import dev.unplug.testkit.nntp.EmbeddedNntpServer;
import dev.unplug.testkit.nntp.NntpSessionRecord;
import java.net.URI;
import java.time.Duration;

/**
 * The demo's NNTP part, against the testkit's embedded NNTP server (which records how each session ended): posts
 * an article and reads it back through the nntp plugin; then shows from the server's side that the graceful
 * disconnect sent {@code QUIT} and the drop did not.
 */
final class NntpDemo implements ProtocolDemo {

    static final String GROUP = "local.test";

    private final EmbeddedNntpServer server;

    NntpDemo(EmbeddedNntpServer server) {
        this.server = server;
    }

    /** Starts the embedded NNTP server on loopback with the demo group and credentials. */
    static EmbeddedNntpServer startServer() {
        return EmbeddedNntpServer.builder().group(GROUP).credentials(MailServers.USER, MailServers.PASSWORD)
                .start();
    }

    @Override
    public String protocol() {
        return "NNTP";
    }

    @Override
    public String scheme() {
        return "nntp";
    }

    @Override
    public URI uri() {
        return URI.create("nntp://" + MailServers.USER + ":" + MailServers.PASSWORD + "@" + EmbeddedNntpServer.HOST
                + ":" + server.port());
    }

    @Override
    public String work(Connection connection) {
        NntpSession nntp = connection.unwrap(NntpSession.class);
        String id = nntp.post("alice@localhost", GROUP, SmtpDemo.SUBJECT, "Hello from unplug over NNTP.");
        NntpGroup group = nntp.group(GROUP);
        String article = nntp.article(group.last());
        if (!article.contains(SmtpDemo.SUBJECT)) {
            throw new IllegalStateException("article " + group.last() + " of " + GROUP + " is not the one posted");
        }
        if (!article.contains(id)) {
            throw new IllegalStateException("article " + group.last() + " does not carry Message-ID " + id);
        }
        return "posted #" + group.last() + " to " + GROUP + ", read it back";
    }

    @Override
    public String afterGraceful() throws InterruptedException {
        return ending(1, true);
    }

    @Override
    public String afterDrop() throws InterruptedException {
        return ending(2, false);
    }

    private String ending(int session, boolean quitExpected) throws InterruptedException {
        NntpSessionRecord record = server.awaitSession(session, Duration.ofSeconds(2)).orElseThrow(
                () -> new IllegalStateException("the server saw no session " + session));
        record.awaitEnd(Duration.ofSeconds(2));
        if (!record.isEnded() || record.endedWithQuit() != quitExpected) {
            throw new IllegalStateException("session " + session + " should have ended "
                    + (quitExpected ? "with" : "without") + " QUIT: " + record);
        }
        return quitExpected ? "server saw QUIT" : "server saw no QUIT on the drop";
    }
}
