package dev.unplug.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessResourcesTest {

    @TempDir
    Path dir;

    @Test
    void tcpCountsSeeTcpSocketsAndTheirRemotePortButNotUnixSockets() throws IOException {
        assumeTrue(ProcessResources.canCountTcpSockets(), "needs /proc/self/fd and /proc/net/tcp");
        // sockets of earlier tests in this JVM may still be closing: a count is compared with one taken just before,
        // and the pair taken again (at most 5 times) when something else changed in between
        int attempt = 0;
        while (true) {
            int tcpBefore = ProcessResources.openTcpSockets();
            int socketsBefore = ProcessResources.openSockets();
            try (ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                unix.bind(UnixDomainSocketAddress.of(dir.resolve("s" + attempt)));
                int sockets = ProcessResources.openSockets();
                int tcp = ProcessResources.openTcpSockets();
                if ((sockets != socketsBefore + 1 || tcp != tcpBefore) && ++attempt < 5) {
                    continue;
                }
                assertThat(sockets).isEqualTo(socketsBefore + 1);
                assertThat(tcp).as("a Unix socket is not TCP").isEqualTo(tcpBefore);
            }
            break;
        }
        int tcpBefore = ProcessResources.openTcpSockets();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
                Socket client = new Socket("127.0.0.1", server.getLocalPort());
                Socket accepted = server.accept()) {
            assertThat(ProcessResources.awaitCount(ProcessResources::openTcpSockets, c -> c == tcpBefore + 3,
                    Duration.ofSeconds(2))).isEqualTo(tcpBefore + 3);
            assertThat(ProcessResources.tcpSocketsConnectedTo(server.getLocalPort()))
                    .as("only the client end has the server's port as its remote port").isEqualTo(1);
            assertThat(ProcessResources.tcpSocketsConnectedTo(client.getLocalPort())).isEqualTo(1);
        }
        assertThatThrownBy(() -> ProcessResources.tcpSocketsConnectedTo(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remote port");
    }

    @Test
    void awaitCountReturnsOnceSettledOrTheLastCountWhenTheTimeoutPasses() {
        AtomicInteger n = new AtomicInteger(10);
        assertThat(ProcessResources.awaitCount(n::decrementAndGet, c -> c <= 5, Duration.ofSeconds(5))).isEqualTo(5);
        long start = System.nanoTime();
        assertThat(ProcessResources.awaitCount(() -> 7, c -> c < 0, Duration.ofMillis(200))).isEqualTo(7);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200),
                Duration.ofSeconds(5));
    }

    @Test
    void capabilitiesAreReadFromTheKernelAndRootHoldsNetRaw() {
        assertThatThrownBy(() -> ProcessResources.hasCapability(64))
                .isInstanceOf(IllegalArgumentException.class);
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(ProcessResources.hasCapability(ProcessResources.CAP_NET_RAW)).isTrue();
        }
    }
}
