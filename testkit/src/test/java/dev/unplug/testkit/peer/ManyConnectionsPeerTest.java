package dev.unplug.testkit.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unplug.testkit.ProcessResources;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManyConnectionsPeerTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private static PeerClient client(ManyConnectionsPeer peer) throws IOException {
        return new PeerClient(new Socket("127.0.0.1", peer.port()));
    }

    /** Sends the lines and checks that no answer comes within 300 ms. */
    private static void expectNoAnswerTo(PeerClient c, String... lines) throws IOException {
        c.socket.setSoTimeout(300);
        for (String line : lines) {
            c.write(line);
        }
        assertThatThrownBy(c::read).as("an answer to %s", List.of(lines)).isInstanceOf(SocketTimeoutException.class);
        c.socket.setSoTimeout(2_000);
    }

    @Test
    void silentPeerGreetsThenNeverAnswersButCountsTheGoodbye() throws IOException {
        try (ManyConnectionsPeer peer = ManyConnectionsPeer.silent(); PeerClient c = client(peer)) {
            assertThat(c.read()).isEqualTo("HELLO");
            expectNoAnswerTo(c, "NOOP", "quit");
            assertThat(ProcessResources.awaitCondition(() -> peer.goodbyes() == 1, BOUND)).isTrue();
            assertThat(peer.accepted()).isEqualTo(1);
            assertThat(peer.open()).as("a silent peer keeps the connection").isEqualTo(1);
            assertThat(peer.uri("tcp")).hasToString("tcp://127.0.0.1:" + peer.port());
        }
    }

    @Test
    void answeringPeerAnswersTheGoodbyeThenClosesWithoutCountingAHangUp() throws IOException {
        try (ManyConnectionsPeer peer = ManyConnectionsPeer.answering(); PeerClient c = client(peer)) {
            assertThat(c.read()).isEqualTo("HELLO");
            expectNoAnswerTo(c, "NOOP QUIT"); // only the whole line is the goodbye
            assertThat(c.send("QUIT")).isEqualTo("BYE");
            assertThat(c.read()).as("end of stream after the goodbye").isNull();
            assertThat(ProcessResources.awaitCondition(() -> peer.open() == 0, BOUND)).isTrue();
            assertThat(peer.goodbyes()).isEqualTo(1);
            assertThat(peer.hungUp()).isZero();
        }
    }

    @Test
    void builderChoosesTheGreetingTheGoodbyeAndItsAnswer() throws IOException {
        try (ManyConnectionsPeer peer = ManyConnectionsPeer.builder().greeting("200 news ready").goodbye("QUIT")
                .answerGoodbye("205 bye").backlog(16).start(); PeerClient c = client(peer)) {
            assertThat(c.read()).isEqualTo("200 news ready");
            assertThat(c.send("  quit ")).isEqualTo("205 bye");
        }
        assertThatThrownBy(() -> ManyConnectionsPeer.builder().backlog(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backlog");
    }

    @Test
    void holdsAThousandConnectionsOnOneThreadAndCountsThoseTheClientsClose() throws IOException {
        assumeTrue(ProcessResources.canCountTcpSockets(), "needs /proc/self/fd and /proc/net/tcp");
        List<Socket> clients = new ArrayList<>();
        try (ManyConnectionsPeer peer = ManyConnectionsPeer.silent()) {
            try {
                for (int i = 0; i < 1000; i++) {
                    clients.add(new Socket("127.0.0.1", peer.port()));
                }
                assertThat(ProcessResources.awaitCondition(() -> peer.open() == 1000, BOUND)).isTrue();
                assertThat(ProcessResources.tcpSocketsConnectedTo(peer.port())).isEqualTo(1000);
                assertThat(ProcessResources.liveThreads()).filteredOn(t -> t.getName().startsWith("unplug-peer-"
                        + peer.port())).hasSize(1);
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            assertThat(ProcessResources.awaitCondition(() -> peer.open() == 0, BOUND)).isTrue();
            assertThat(peer.hungUp()).isEqualTo(1000);
            assertThat(peer.accepted()).isEqualTo(1000);
            assertThat(ProcessResources.tcpSocketsConnectedTo(peer.port())).isZero();
        }
    }

    @Test
    void closeStopsTheThreadAndClosesEveryAcceptedSocketAndTheServer() throws IOException {
        assumeTrue(ProcessResources.canCountTcpSockets(), "needs /proc/self/fd and /proc/net/tcp");
        int before = ProcessResources.openTcpSockets();
        ManyConnectionsPeer peer = ManyConnectionsPeer.silent();
        try (PeerClient a = client(peer); PeerClient b = client(peer)) {
            assertThat(a.read()).isEqualTo("HELLO");
            assertThat(b.read()).isEqualTo("HELLO");
            peer.close();
            peer.close(); // idempotent
            assertThat(a.read()).as("the peer closed its end").isNull();
            assertThat(b.read()).as("the peer closed its end").isNull();
            assertThat(peer.open()).isZero();
            assertThat(ProcessResources.liveThreads()).noneMatch(t -> t.getName().startsWith("unplug-peer-"
                    + peer.port()));
        }
        assertThat(ProcessResources.awaitCount(ProcessResources::openTcpSockets, n -> n <= before, BOUND))
                .as("TCP sockets once both ends are closed").isLessThanOrEqualTo(before);
    }
}
