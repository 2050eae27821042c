package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.mail.NntpGroup;
import dev.unplug.api.mail.NntpSession;
import dev.unplug.transport.ClientAccess;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nntp plugin against INN 2.7: post to {@code local.test} and read the article back; and how INN's reader
 * daemon saw the end of a session. scripts/servers.sh turns on nnrpd's trace ({@code ctlinnd trace nnrpd y}), so
 * INN's news log shows each command of a session ({@code nnrpd[pid]: localhost < QUIT}, {@code > 205 Bye!}), then
 * {@code times user ... elapsed ...} when the session ends; a reset shows {@code can't read: Connection reset by
 * peer}. A test finds its own session by a STAT of a message-id no one else uses.
 */
class InnTest extends InteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @BeforeEach
    void serverRuns() {
        Server.NNTP.require();
    }

    @Test
    void articlePostedToLocalTestIsReadBackByMessageIdAndNumber() {
        String tag = Mail.uniqueTag("nntp-post");
        String messageId;
        try (Connection c = host.open(Server.NNTP.uri())) {
            c.connect();
            NntpSession nntp = c.unwrap(NntpSession.class);
            NntpGroup before = nntp.group("local.test");
            messageId = nntp.post("bob@example.test", "local.test", tag, "Hello group,\n.dotted line of " + tag + "\n");
            assertThat(messageId).startsWith("<").endsWith(">");

            NntpGroup after = nntp.group("local.test");
            assertThat(after.last()).isGreaterThan(before.last());
            assertThat(nntp.article(after.last())).contains("Subject: " + tag).contains(messageId);
            assertThat(c.disconnect(Mail.GOODBYE).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
        try (Connection c = host.open(Server.NNTP.uri())) {
            c.connect();
            String article = c.unwrap(NntpSession.class).article(messageId);
            assertThat(article).contains("Newsgroups: local.test", "Subject: " + tag,
                    "\r\n\r\nHello group,\r\n.dotted line of " + tag);
            assertThat(c.disconnect(Mail.GOODBYE).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
    }

    @Test
    void startTlsUpgradesTheReaderSessionAndQuitEndsItCleanOverTls() {
        ServerLog news = ServerLog.mark(ServerPaths.innDebugLog());
        String probe = "<" + Mail.uniqueTag("nntp-starttls") + "@unplug.test>";
        Options tls = Options.builder().set(Options.STARTTLS, true)
                .set(dev.unplug.spi.TlsSettings.TRUST_STORE, ServerPaths.get("INN_TLS_TRUST_STORE").toString())
                .set(dev.unplug.spi.TlsSettings.TRUST_STORE_PASSWORD, "unplug-interop").build();
        DisconnectOutcome outcome;
        try (Connection c = host.open(Server.NNTP.uri(), tls)) {
            c.connect();
            markSession(c, probe);
            outcome = c.disconnect(Mail.GOODBYE);
        }
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).startsWith("205"));
        List<String> session = endedSession(news, probe);
        assertThat(session).as("nnrpd's trace of the session").anyMatch(l -> l.endsWith("localhost < STARTTLS"))
                .anyMatch(l -> l.endsWith("localhost < QUIT")).noneMatch(l -> l.contains("can't read"));
    }

    @Test
    void gracefulDisconnectEndsTheReaderSessionWithQuitOnTheServer() {
        ServerLog news = ServerLog.mark(ServerPaths.innDebugLog());
        String probe = "<" + Mail.uniqueTag("nntp-quit") + "@unplug.test>";
        DisconnectOutcome outcome;
        try (Connection c = host.open(Server.NNTP.uri())) {
            c.connect();
            markSession(c, probe);
            outcome = c.disconnect(Mail.GOODBYE);
        }
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).startsWith("205"));
        List<String> session = endedSession(news, probe);
        assertThat(session).anyMatch(l -> l.endsWith("localhost < QUIT"))
                .anyMatch(l -> l.contains("localhost > 205 "))
                .noneMatch(l -> l.contains("can't read"));
    }

    @Test
    void dropEndsTheReaderSessionWithoutQuitOnTheServer() {
        ServerLog news = ServerLog.mark(ServerPaths.innDebugLog());
        String probe = "<" + Mail.uniqueTag("nntp-drop") + "@unplug.test>";
        DisconnectOutcome outcome;
        try (Connection c = host.open(Server.NNTP.uri())) {
            c.connect();
            markSession(c, probe);
            outcome = c.drop();
        }
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(endedSession(news, probe)).noneMatch(l -> l.contains("< QUIT")).noneMatch(l -> l.contains("> 205"));
    }

    @Test
    void dropWithResetShowsTheResetOnTheServer() {
        ServerLog news = ServerLog.mark(ServerPaths.innDebugLog());
        String probe = "<" + Mail.uniqueTag("nntp-reset") + "@unplug.test>";
        DisconnectOutcome outcome;
        try (Connection c = host.open(Server.NNTP.uri(), Options.builder().set(Options.RESET_ON_DROP, true).build())) {
            c.connect();
            markSession(c, probe);
            outcome = c.drop();
        }
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(endedSession(news, probe)).noneMatch(l -> l.contains("< QUIT"))
                .anyMatch(l -> l.endsWith("localhost can't read: Connection reset by peer"));
    }

    /** Sends {@code STAT <probe>} (no such article), a line only this session traces. */
    private static void markSession(Connection c, String probe) {
        NntpSession nntp = c.unwrap(NntpSession.class);
        nntp.group("local.test");
        @SuppressWarnings("unchecked")
        ClientAccess<org.apache.commons.net.nntp.NNTPClient> raw = c.unwrap(ClientAccess.class);
        boolean exists = raw.withClient("STAT " + probe, cl -> cl.selectArticle(probe));
        assertThat(exists).as("article %s exists", probe).isFalse();
    }

    /** Every line of the nnrpd process that traced {@code STAT <probe>}, once it logged its closing times. */
    private static List<String> endedSession(ServerLog news, String probe) {
        Pattern statLine = Pattern.compile("nnrpd\\[(\\d+)\\]: localhost < STAT " + Pattern.quote(probe) + "$");
        return news.awaitAll("the nnrpd session that sent STAT " + probe + " and its end", lines -> {
            Optional<String> pid = lines.stream().map(statLine::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).findFirst();
            if (pid.isEmpty()) {
                return Optional.empty();
            }
            List<String> own = lines.stream().filter(l -> l.contains(" nnrpd[" + pid.get() + "]: ")).toList();
            return own.stream().anyMatch(l -> l.contains("localhost times user ")) ? Optional.of(own)
                    : Optional.empty();
        }, WAIT);
    }
}
