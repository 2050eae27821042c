package dev.unplug.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import dev.unplug.testkit.ProcessResources;
import dev.unplug.testkit.peer.ManyConnectionsPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A host's shutdown of many real POP3 connections (the pop3 plugin, found on the class path), half to a server
 * that answers QUIT and half to one that never does: the answering ones must end CLEAN, never queued behind the
 * silent ones, and every connection must end with its socket closed. Times here are hang guards; the figures
 * against the 2.1 s goal are the bench module's (figure "bulk": 10,000 connections, peers in another process).
 */
class MassShutdownTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);

    @ParameterizedTest(name = "{0} connections")
    @ValueSource(ints = {100, 1000})
    void answeringConnectionsEndCleanWhileSilentOnesHoldNoThread(int n) throws Exception {
        assumeTrue(ProcessResources.canCountTcpSockets(), "needs /proc/self/fd and /proc/net/tcp");
        try (ManyConnectionsPeer answering = ManyConnectionsPeer.builder().greeting("+OK ready").goodbye("QUIT")
                .answerGoodbye("+OK bye").start();
                ManyConnectionsPeer silent = ManyConnectionsPeer.builder().greeting("+OK ready").goodbye("QUIT")
                        .start();
                PluginHost host = PluginHost.builder().build()) {
            List<Connection> toAnswering = new ArrayList<>();
            List<Connection> toSilent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // interleaved, so that silent connections are ahead of answering ones in the host's order
                ManyConnectionsPeer peer = i % 2 == 0 ? silent : answering;
                Connection c = host.open(peer.uri("pop3"), Options.empty());
                c.connect();
                (peer == silent ? toSilent : toAnswering).add(c);
            }

            long start = System.nanoTime();
            ShutdownReport report = host.shutdown(DEADLINE);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int leftOpen = ProcessResources.tcpSocketsConnectedTo(answering.port())
                    + ProcessResources.tcpSocketsConnectedTo(silent.port());

            assertThat(took).as("hang guard, not a speed target").isLessThan(DEADLINE.plusSeconds(3));
            assertThat(report.outcomes()).hasSize(n);
            long clean = toAnswering.stream().filter(c -> report.outcomes().get(c).kind()
                    == DisconnectOutcome.Kind.CLEAN).count();
            assertThat(clean).as("answering connections that ended CLEAN, of %d; %s", toAnswering.size(), report)
                    .isGreaterThanOrEqualTo((long) Math.ceil(toAnswering.size() * 0.99));
            assertThat(answering.goodbyes()).as("QUITs the answering server received").isEqualTo(toAnswering.size());
            assertThat(toSilent).as("silent connections: goodbye sent, then dropped at the deadline")
                    .allSatisfy(c -> assertThat(report.outcomes().get(c).kind())
                            .isEqualTo(DisconnectOutcome.Kind.ESCALATED));
            assertThat(silent.goodbyes()).as("QUITs the silent server received").isEqualTo(toSilent.size());
            assertThat(host.openConnections()).isEmpty();
            assertThat(toAnswering).allMatch(c -> c.state() == ConnectionState.DISCONNECTED);
            assertThat(toSilent).allMatch(c -> c.state() == ConnectionState.DISCONNECTED);
            assertThat(leftOpen).as("client sockets open when shutdown returned").isZero();
        }
    }
}
