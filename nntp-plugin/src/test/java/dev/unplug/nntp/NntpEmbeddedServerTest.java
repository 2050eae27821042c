package dev.unplug.nntp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.mail.NntpGroup;
import dev.unplug.api.mail.NntpSession;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.nntp.EmbeddedNntpServer;
import dev.unplug.testkit.nntp.NntpSessionRecord;
import dev.unplug.transport.ClientAccess;
import java.net.URI;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NNTP plugin against the testkit's embedded NNTP server, which starts in transit mode as INN does. */
class NntpEmbeddedServerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private EmbeddedNntpServer server;

    @BeforeEach
    void startServer() {
        server = EmbeddedNntpServer.builder().group("local.test", "local.other").transitMode(true)
                .credentials("alice", "s3cret").start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    static UnplugProvider provider() {
        return ServiceLoader.load(UnplugProvider.class).stream()
                .filter(p -> p.type() == NntpProvider.class).findFirst().orElseThrow().get();
    }

    private Connection open(String userInfo) {
        return provider().open(URI.create("nntp://" + userInfo + "@127.0.0.1:" + server.port()), Options.empty());
    }

    private NntpSessionRecord session(int n) throws InterruptedException {
        return server.awaitSession(n, WAIT).orElseThrow();
    }

    @Test
    void postsAndReadsAnArticleAndQuitIsCleanWith205WhichTheServerSaw() throws Exception {
        Connection c = open("alice:s3cret");
        c.connect();
        assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
        NntpSession nntp = c.unwrap(NntpSession.class);
        String id = nntp.post("alice@unplug.test", "local.test", "hello", "first line\n.dotted line\n");
        assertThat(id).startsWith("<").endsWith(">");
        assertThat(nntp.group("local.test")).isEqualTo(new NntpGroup("local.test", 1, 1, 1));
        assertThat(nntp.article(1)).contains("Subject: hello\r\n", "Message-ID: " + id, "\r\n\r\nfirst line\r\n",
                "\r\n.dotted line\r\n");
        assertThat(nntp.article(id)).isEqualTo(nntp.article(1));

        DisconnectOutcome outcome = c.disconnect(WAIT);
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(outcome.lastReply()).hasValueSatisfying(r -> assertThat(r).startsWith("205"));
        NntpSessionRecord seen = session(1);
        assertThat(seen.awaitEnd(WAIT)).contains(NntpSessionRecord.Ending.QUIT);
        assertThat(seen.commands()).startsWith("MODE READER", "AUTHINFO USER alice", "AUTHINFO PASS ***")
                .endsWith("QUIT");
    }

    @Test
    void dropSendsNoQuitAndTheServerSeesTheSessionEndWithoutOne() throws Exception {
        Connection c = open("alice:s3cret");
        c.connect();
        c.unwrap(NntpSession.class).group("local.test");
        DisconnectOutcome outcome = c.drop();
        assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        NntpSessionRecord seen = session(1);
        assertThat(seen.awaitEnd(WAIT)).hasValueSatisfying(e -> assertThat(e.withoutGoodbye()).isTrue());
        assertThat(seen.received("QUIT")).isFalse();
        assertThat(seen.commands()).last().isEqualTo("GROUP local.test");
    }

    @Test
    void aWrongPasswordIsAuthenticationFailedWith481AndNeverShown() throws Exception {
        Connection c = open("alice:Wr0ngSecret");
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(UnplugException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION_FAILED);
            assertThat(e.replyCode()).hasValue(481);
            assertThat(e.toString()).doesNotContain("Wr0ngSecret");
        });
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(c + " " + c.outcome().orElseThrow()).doesNotContain("Wr0ngSecret");
        assertThat(session(1).commands()).noneMatch(l -> l.contains("Wr0ngSecret"));
    }

    @Test
    void withoutCredentialsReaderCommandsAreRefusedWith480AsAnNntpError() {
        try (Connection c = provider().open(URI.create("nntp://127.0.0.1:" + server.port()), Options.empty())) {
            c.connect();
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThatThrownBy(() -> c.unwrap(NntpSession.class).group("local.test"))
                    .isInstanceOfSatisfying(UnplugException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.NNTP_ERROR);
                        assertThat(e.replyCode()).hasValue(480);
                    });
        }
    }

    @Test
    void errorRepliesCarryTheirCodeAndTheSessionGoesOn() {
        try (Connection c = open("alice:s3cret")) {
            c.connect();
            NntpSession nntp = c.unwrap(NntpSession.class);
            assertThatThrownBy(() -> nntp.group("no.such.group")).isInstanceOfSatisfying(UnplugException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.NNTP_ERROR);
                assertThat(e.replyCode()).hasValue(411);
                assertThat(e.serverReply()).hasValueSatisfying(r -> assertThat(r).startsWith("411"));
            });
            nntp.group("local.test");
            assertThatThrownBy(() -> nntp.article(42)).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.replyCode()).hasValue(423));
            assertThatThrownBy(() -> nntp.article("<missing@unplug.test>"))
                    .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.replyCode()).hasValue(430));
            assertThatThrownBy(() -> nntp.post("a@b", "no.such.group", "s", "b"))
                    .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.replyCode()).hasValue(441));
            assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
            assertThat(nntp.group("local.test").count()).isZero();
        }
    }

    @Test
    void listsTheGroupsWithTheirRanges() {
        server.addArticle("Newsgroups: local.other\nSubject: x\n\nbody");
        try (Connection c = open("alice:s3cret")) {
            c.connect();
            assertThat(c.unwrap(NntpSession.class).listGroups()).containsExactly(
                    new NntpGroup("local.test", 0, 1, 0), new NntpGroup("local.other", 1, 1, 1));
        }
    }

    @Test
    void argumentsThatWouldSmuggleACommandOrHeaderAreRefusedBeforeSending() throws Exception {
        try (Connection c = open("alice:s3cret")) {
            c.connect();
            NntpSession nntp = c.unwrap(NntpSession.class);
            assertThatThrownBy(() -> nntp.group("local.test\r\nQUIT")).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
            assertThatThrownBy(() -> nntp.post("a@b", "local.test", "s\r\nControl: cancel", "b"))
                    .isInstanceOfSatisfying(UnplugException.class, e -> assertThat(e.kind())
                            .isEqualTo(ErrorKind.INVALID_ARGUMENT));
            assertThatThrownBy(() -> nntp.article("no-brackets")).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
            assertThatThrownBy(() -> nntp.post(null, "local.test", "s", "b")).isInstanceOfSatisfying(
                    UnplugException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NULL_ARGUMENT));
            assertThat(server.articleCount("local.test")).isZero();
            assertThat(session(1).commands()).noneMatch(l -> l.startsWith("GROUP") || l.startsWith("POST"));
        }
    }

    @Test
    void rawCommandsRunOnTheCommonsNetClient() {
        try (Connection c = open("alice:s3cret")) {
            c.connect();
            @SuppressWarnings("unchecked")
            ClientAccess<org.apache.commons.net.nntp.NNTPClient> access = c.unwrap(ClientAccess.class);
            String date = access.withClient("DATE", client -> {
                client.sendCommand("DATE");
                return client.getReplyString();
            });
            assertThat(date).startsWith("111 ");
        }
    }
}
