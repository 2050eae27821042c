package dev.unplug.testkit.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackPeerTest {

    static final LineScript SCRIPT = LineScript.builder("+HELLO peer test")
            .on("PING", "+PONG")
            .goodbye("QUIT", "+BYE")
            .otherwise("-ERR unknown")
            .build();

    @Test
    void scriptedPeerGreetsAnswersRecordsAndClosesAfterTheGoodbye() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.scripted(SCRIPT); PeerClient c = PeerClient.to(peer)) {
            assertThat(c.read()).isEqualTo("+HELLO peer test");
            assertThat(c.send("PING")).isEqualTo("+PONG");
            assertThat(c.send("what")).isEqualTo("-ERR unknown");
            assertThat(c.send("quit")).isEqualTo("+BYE");
            assertThat(c.read()).as("end of stream after the goodbye").isNull();
            c.close();
            assertThat(peer.connection(0).awaitClosed(Duration.ofSeconds(2))).isTrue();
            assertThat(peer.connection(0).lines()).containsExactly("PING", "what", "quit");
            assertThat(peer.goodbyeCount()).isEqualTo(1);
            assertThat(peer.acceptedCount()).isEqualTo(1);
            assertThat(peer.uri("line")).hasToString("line://127.0.0.1:" + peer.port());
            assertThat(peer.uri("pop3", "alice:secret")).hasToString("pop3://alice:secret@127.0.0.1:" + peer.port());
        }
    }

    @Test
    void linesSentAfterTheGoodbyeAreStillRecorded() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.scripted(SCRIPT); PeerClient c = PeerClient.to(peer)) {
            c.read();
            c.write("QUIT");
            c.write("QUIT");
            assertThat(peer.awaitGoodbyes(2, Duration.ofSeconds(2))).isTrue();
            assertThat(peer.goodbyeCount()).isEqualTo(2);
        }
    }

    @Test
    void silentPeerAcceptsAndRecordsButNeverSendsAByte() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.silentAfterAccept(); PeerClient c = PeerClient.to(peer)) {
            c.socket.setSoTimeout(300);
            c.write("HELLO?");
            assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(peer.connection(0).awaitLines(1, Duration.ofSeconds(2))).isTrue();
            assertThat(peer.receivedLines()).containsExactly("HELLO?");
        }
    }

    @Test
    void peerThatNeverAnswersTheGoodbyeRecordsItAndStaysOpen() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.neverAnswersGoodbye(SCRIPT); PeerClient c = PeerClient.to(peer)) {
            c.read();
            assertThat(c.send("PING")).isEqualTo("+PONG");
            c.socket.setSoTimeout(300);
            c.write("QUIT");
            assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(peer.goodbyeCount()).isEqualTo(1);
            assertThat(peer.connection(0).isClosed()).isFalse();
        }
    }

    @Test
    void peerThatResetsOnTheGoodbyeResetsTheConnection() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.resetsOnGoodbye(SCRIPT); PeerClient c = PeerClient.to(peer)) {
            c.read();
            c.write("QUIT");
            assertThatThrownBy(c::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(peer.goodbyeCount()).isEqualTo(1);
        }
    }

    @Test
    void garbagePeerAnswersWithBinaryNoiseAndForeignText() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.answersGarbage(SCRIPT); PeerClient c = PeerClient.to(peer)) {
            assertThat(c.read()).isEqualTo("+HELLO peer test");
            String noise = c.send("PING");
            assertThat(noise).contains("\u0000").contains("\u00ff");
            assertThat(c.read()).isEqualTo("HTTP/1.1 400 Bad Request");
            String answerToGoodbye = c.send("QUIT");
            assertThat(answerToGoodbye).doesNotContain("+BYE");
        }
        try (LoopbackPeer peer = LoopbackPeer.builder(SCRIPT).greetWithGarbage().start();
                PeerClient c = PeerClient.to(peer)) {
            assertThat(c.read()).doesNotContain("+HELLO").contains("\u0000");
        }
    }

    @Test
    void slowPeerWaitsBeforeEachReply() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.answersSlowly(Duration.ofMillis(200), SCRIPT);
                PeerClient c = PeerClient.to(peer)) {
            c.read();
            long start = System.nanoTime();
            assertThat(c.send("PING")).isEqualTo("+PONG");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        }
    }

    @Test
    void goodbyeDelayAppliesToTheGoodbyeOnly() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.builder(SCRIPT).goodbyeDelay(Duration.ofMillis(300)).start();
                PeerClient c = PeerClient.to(peer)) {
            c.read();
            long start = System.nanoTime();
            assertThat(c.send("PING")).isEqualTo("+PONG");
            long quitStart = System.nanoTime();
            assertThat(c.send("QUIT")).isEqualTo("+BYE");
            assertThat(Duration.ofNanos(System.nanoTime() - quitStart)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(Duration.ofNanos(quitStart - start)).isLessThan(Duration.ofMillis(290));
        }
    }

    @Test
    void delayRepliesChangesTheWaitOfARunningPeer() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.scripted(SCRIPT); PeerClient c = PeerClient.to(peer)) {
            c.read();
            peer.delayReplies(Duration.ofMillis(250));
            long start = System.nanoTime();
            assertThat(c.send("PING")).isEqualTo("+PONG");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(240));
            assertThatThrownBy(() -> peer.delayReplies(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void mutedPeerRecordsButDoesNotAnswerUntilUnmuted() throws IOException {
        try (LoopbackPeer peer = LoopbackPeer.scripted(SCRIPT); PeerClient c = PeerClient.to(peer)) {
            c.read();
            peer.mute();
            c.socket.setSoTimeout(300);
            c.write("PING");
            assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
            peer.unmute();
            c.socket.setSoTimeout(2_000);
            assertThat(c.send("PING")).isEqualTo("+PONG");
            assertThat(peer.receivedLines()).containsExactly("PING", "PING");
        }
    }

    @Test
    void closeClosesEverySocketAndStopsEveryThread() throws IOException {
        LoopbackPeer peer = LoopbackPeer.scripted(SCRIPT);
        int port = peer.port();
        List<PeerClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(PeerClient.to(peer));
            clients.get(i).read();
        }
        assertThat(peer.awaitConnections(3, Duration.ofSeconds(2))).isTrue();
        peer.close();
        peer.close();
        for (PeerClient c : clients) {
            assertThat(c.read()).as("end of stream after the peer closed").isNull();
            c.close();
        }
        assertThat(peer.connections()).allMatch(PeerConnection::isClosed);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("unplug-peer-" + port));
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void scriptRulesMatchCommandsTagsAndLaterRulesRefineEarlierOnes() {
        LineScript imap = LineScript.imap().on(LineScript.tagged("NOOP"), "{tag} OK refined").build();
        assertThat(imap.replyTo("a7 LOGOUT")).containsExactly("* BYE unplug-peer logging out",
                "a7 OK LOGOUT completed");
        assertThat(imap.isGoodbye("a7 logout")).isTrue();
        assertThat(imap.replyTo("x NOOP")).containsExactly("x OK refined");
        assertThat(imap.replyTo("x FETCH 1")).containsExactly("x BAD unknown command");
        assertThat(LineScript.smtp().build().replyTo("QUIT")).containsExactly("221 2.0.0 Bye");
        assertThat(LineScript.pop3().build().replyTo("USER alice")).containsExactly("+OK send PASS");
        assertThat(LineScript.nntp().build().replyTo("AUTHINFO PASS x")).containsExactly("281 authentication accepted");
        assertThat(LineScript.builder().build().replyTo("anything")).isEmpty();
    }
}
