package dev.unplug.testkit.nntp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedNntpServerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void greetsOnLoopbackAndQuitGets205AndIsRecordedAsAGoodbye() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test").start();
                NntpTestClient c = new NntpTestClient(server)) {
            assertThat(server.uri().toString()).isEqualTo("nntp://127.0.0.1:" + server.port());
            assertThat(c.greeting).startsWith("200 ").contains("posting allowed");
            assertThat(c.send("QUIT")).startsWith("205");
            assertThat(c.readLine()).isNull();
            NntpSessionRecord s = server.awaitSession(1, WAIT).orElseThrow();
            assertThat(s.awaitEnd(WAIT)).contains(NntpSessionRecord.Ending.QUIT);
            assertThat(s.endedWithQuit()).isTrue();
            assertThat(s.commands()).containsExactly("QUIT");
        }
    }

    @Test
    void closingTheSocketWithoutQuitIsRecordedAsEndingWithoutGoodbye() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test").start()) {
            try (NntpTestClient c = new NntpTestClient(server)) {
                assertThat(c.send("GROUP local.test")).startsWith("211 ");
            }
            NntpSessionRecord s = server.awaitSession(1, WAIT).orElseThrow();
            assertThat(s.awaitEnd(WAIT)).contains(NntpSessionRecord.Ending.CLOSED_WITHOUT_QUIT);
            assertThat(s.endedWithQuit()).isFalse();
            assertThat(s.received("QUIT")).isFalse();
            assertThat(s.commands()).containsExactly("GROUP local.test");
        }
    }

    @Test
    void aResetFromTheClientIsRecordedAsEndingWithoutGoodbye() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().start()) {
            NntpTestClient c = new NntpTestClient(server);
            c.socket.setSoLinger(true, 0);
            c.close();
            NntpSessionRecord s = server.awaitSession(1, WAIT).orElseThrow();
            assertThat(s.awaitEnd(WAIT)).hasValueSatisfying(e -> assertThat(e.withoutGoodbye()).isTrue());
        }
    }

    @Test
    void postAssignsNumbersAndAMessageIdAndTheArticleReadsBackByNumberAndById() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test").start();
                NntpTestClient c = new NntpTestClient(server)) {
            assertThat(c.send("POST")).startsWith("340");
            c.write("From: alice@example.org");
            c.write("Newsgroups: local.test");
            c.write("Subject: hello");
            c.write("");
            c.write("first line");
            c.write("..starts with a dot");
            String posted = c.send(".");
            assertThat(posted).startsWith("240");
            String id = posted.substring(posted.indexOf('<'), posted.indexOf('>') + 1);

            assertThat(c.send("GROUP local.test")).isEqualTo("211 1 1 1 local.test");
            String status = c.send("ARTICLE 1");
            assertThat(status).isEqualTo("220 1 " + id + " article follows");
            List<String> article = c.readBlock();
            assertThat(article).contains("Subject: hello", "Message-ID: " + id, "", "first line",
                    ".starts with a dot");

            assertThat(c.send("BODY " + id)).startsWith("222 0 " + id);
            assertThat(c.readBlock()).containsExactly("first line", ".starts with a dot");
            assertThat(c.send("HEAD 1")).startsWith("221 1 " + id);
            assertThat(c.readBlock()).contains("From: alice@example.org").doesNotContain("first line");
            assertThat(c.send("STAT")).isEqualTo("223 1 " + id);
            assertThat(server.articleCount("local.test")).isEqualTo(1);
            assertThat(server.article(id)).hasValueSatisfying(a -> assertThat(a).contains("Subject: hello"));
        }
    }

    @Test
    void postKeepsAGivenMessageIdAndRejectsArticlesWithoutAKnownGroup() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test").start();
                NntpTestClient c = new NntpTestClient(server)) {
            assertThat(post(c, "Newsgroups: local.test", "Message-ID: <given@x>", "Subject: s", "", "b"))
                    .isEqualTo("240 article received <given@x>");
            assertThat(post(c, "Newsgroups: local.test", "Message-ID: <given@x>", "", "b")).startsWith("441");
            assertThat(post(c, "Newsgroups: no.such.group", "Subject: s", "", "b")).startsWith("441");
            assertThat(post(c, "Subject: no groups", "", "b")).startsWith("441");
            assertThat(server.articleCount("local.test")).isEqualTo(1);
        }
    }

    @Test
    void navigatesWithNextLastAndListgroupAndReportsMissingThings() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test", "local.empty").start()) {
            String a = server.addArticle("Newsgroups: local.test\nSubject: one\n\nbody one");
            String b = server.addArticle("Newsgroups: local.test\nSubject: two\n\nbody two");
            try (NntpTestClient c = new NntpTestClient(server)) {
                assertThat(c.send("ARTICLE 1")).startsWith("412");
                assertThat(c.send("NEXT")).startsWith("412");
                assertThat(c.send("GROUP no.such")).startsWith("411");
                assertThat(c.send("LISTGROUP local.test")).startsWith("211 2 1 2 local.test");
                assertThat(c.readBlock()).containsExactly("1", "2");
                assertThat(c.send("NEXT")).isEqualTo("223 2 " + b + " retrieved");
                assertThat(c.send("NEXT")).startsWith("421");
                assertThat(c.send("LAST")).isEqualTo("223 1 " + a + " retrieved");
                assertThat(c.send("LAST")).startsWith("422");
                assertThat(c.send("ARTICLE 99")).startsWith("423");
                assertThat(c.send("ARTICLE <nope@x>")).startsWith("430");
                assertThat(c.send("ARTICLE x1")).startsWith("501");
                assertThat(c.send("GROUP local.empty")).isEqualTo("211 0 1 0 local.empty");
                assertThat(c.send("STAT")).startsWith("420");
                assertThat(c.send("FROB")).startsWith("500");
            }
        }
    }

    @Test
    void listActiveShowsEveryGroupWithItsRangeAndFiltersByWildmat() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test", "other.misc").start()) {
            server.addArticle("Newsgroups: local.test\n\nx");
            try (NntpTestClient c = new NntpTestClient(server)) {
                assertThat(c.send("LIST")).startsWith("215");
                assertThat(c.readBlock()).containsExactly("local.test 1 1 y", "other.misc 0 1 y");
                assertThat(c.send("LIST ACTIVE local.*")).startsWith("215");
                assertThat(c.readBlock()).containsExactly("local.test 1 1 y");
                assertThat(c.send("LIST NEWSGROUPS")).startsWith("215");
                assertThat(c.readBlock()).hasSize(2);
                assertThat(c.send("LIST OVERVIEW.FMT")).startsWith("503");
            }
        }
    }

    @Test
    void transitModeRefusesReaderCommandsUntilModeReader() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test").transitMode(true).start();
                NntpTestClient c = new NntpTestClient(server)) {
            assertThat(c.greeting).startsWith("200 ").contains("transit mode");
            assertThat(c.send("CAPABILITIES")).startsWith("101");
            assertThat(c.readBlock()).contains("MODE-READER").doesNotContain("READER");
            assertThat(c.send("GROUP local.test")).startsWith("502");
            assertThat(c.send("MODE READER")).isEqualTo("200 posting allowed");
            assertThat(c.send("GROUP local.test")).startsWith("211");
            assertThat(c.send("CAPABILITIES")).startsWith("101");
            assertThat(c.readBlock()).contains("READER", "POST");
        }
    }

    @Test
    void authinfoIsRequiredWhenConfiguredAndThePasswordIsNeverRecorded() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().group("local.test")
                .credentials("alice", "s3cret").start()) {
            try (NntpTestClient c = new NntpTestClient(server)) {
                assertThat(c.send("GROUP local.test")).startsWith("480");
                assertThat(c.send("AUTHINFO PASS s3cret")).startsWith("482");
                assertThat(c.send("AUTHINFO USER alice")).startsWith("381");
                assertThat(c.send("AUTHINFO PASS wrong")).startsWith("481");
                assertThat(c.send("AUTHINFO USER alice")).startsWith("381");
                assertThat(c.send("AUTHINFO PASS s3cret")).startsWith("281");
                assertThat(c.send("GROUP local.test")).startsWith("211");
                assertThat(c.send("AUTHINFO USER alice")).startsWith("502");
                assertThat(c.send("QUIT")).startsWith("205");
            }
            NntpSessionRecord s = server.awaitSession(1, WAIT).orElseThrow();
            assertThat(s.awaitEnd(WAIT)).contains(NntpSessionRecord.Ending.QUIT);
            assertThat(String.join("\n", s.commands()) + s + server).doesNotContain("s3cret").doesNotContain("wrong");
            assertThat(s.commands()).contains("AUTHINFO PASS ***", "AUTHINFO USER alice");
        }
    }

    @Test
    void authinfoIsRefusedWhenNoCredentialsAreConfigured() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().start();
                NntpTestClient c = new NntpTestClient(server)) {
            assertThat(c.send("AUTHINFO USER bob")).startsWith("503");
        }
    }

    @Test
    void connectionsBeyondTheLimitAreTurnedAwayWith400() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().maxConnections(1).start();
                NntpTestClient first = new NntpTestClient(server);
                NntpTestClient second = new NntpTestClient(server)) {
            assertThat(first.greeting).startsWith("200");
            assertThat(second.greeting).startsWith("400");
            assertThat(second.readLine()).isNull();
            assertThat(server.sessions()).hasSize(2);
            assertThat(server.sessions().get(1).ending()).contains(NntpSessionRecord.Ending.SERVER_CLOSED);
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeout() throws Exception {
        try (EmbeddedNntpServer server = EmbeddedNntpServer.builder().idleTimeout(Duration.ofMillis(200)).start();
                NntpTestClient c = new NntpTestClient(server)) {
            assertThat(c.readLine()).isNull();
            assertThat(server.awaitSession(1, WAIT).orElseThrow().awaitEnd(WAIT))
                    .contains(NntpSessionRecord.Ending.IDLE_TIMEOUT);
        }
    }

    @Test
    void closeEndsOpenSessionsAndStopsEveryThread() throws Exception {
        EmbeddedNntpServer server = EmbeddedNntpServer.builder().start();
        int port = server.port();
        NntpTestClient c = new NntpTestClient(server);
        assertThat(c.send("DATE")).startsWith("111 ");
        server.close();
        server.close();
        assertThat(c.readLine()).isNull();
        c.close();
        assertThat(server.sessions().get(0).ending()).contains(NntpSessionRecord.Ending.SERVER_CLOSED);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("unplug-nntp-" + port));
        assertThatThrownBy(() -> new Socket(EmbeddedNntpServer.HOST, port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void builderRejectsBadSettings() {
        assertThatThrownBy(() -> EmbeddedNntpServer.builder().port(70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedNntpServer.builder().group("bad name"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedNntpServer.builder().credentials("a", null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EmbeddedNntpServer.builder().idleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String post(NntpTestClient c, String... lines) throws IOException {
        assertThat(c.send("POST")).startsWith("340");
        for (String l : lines) {
            c.write(l);
        }
        return c.send(".");
    }
}
