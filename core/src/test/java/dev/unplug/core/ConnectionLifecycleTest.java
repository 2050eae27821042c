package dev.unplug.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.testkit.ProcessResources;
import dev.unplug.testkit.peer.ManyConnectionsPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionLifecycleTest {

    @TempDir
    static Path work;

    private static Path plugins;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void buildPlugin() throws Exception {
        plugins = Files.createDirectory(work.resolve("plugins"));
        PluginJars.jar(plugins, "tcp.jar", "tcp.TcpProvider",
                PluginJars.tcpPlugin("tcp", "tcp", "tcp", "unplug.test.lifecycle.constructed"));
    }

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    private <T extends AutoCloseable> T use(T resource) {
        resources.add(0, resource);
        return resource;
    }

    private PluginHost host() {
        return use(PluginHost.builder().pluginDirectory(plugins).build());
    }

    private static Options readTimeout(Duration d) {
        return Options.builder().set(Options.READ_TIMEOUT, d).build();
    }

    @Test
    void shutdownOfAThousandConnectionsToASilentPeerReportsEveryOutcomeAndClosesEverySocket() throws Exception {
        assumeTrue(ProcessResources.canCountTcpSockets(), "needs /proc/self/fd and /proc/net/tcp");
        ManyConnectionsPeer peer = use(ManyConnectionsPeer.silent());
        PluginHost host = host();
        int socketsBefore = ProcessResources.openTcpSockets();

        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Connection c = host.open(peer.uri("tcp"), Options.empty());
            c.connect();
            connections.add(c);
        }
        assertThat(host.openConnections()).hasSize(1000);
        assertThat(ProcessResources.tcpSocketsConnectedTo(peer.port())).isEqualTo(1000);

        Duration deadline = Duration.ofMillis(500);
        long start = System.nanoTime();
        ShutdownReport report = host.shutdown(deadline);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int clientSocketsAtReturn = ProcessResources.tcpSocketsConnectedTo(peer.port());

        assertThat(took).as("hang guard, not a speed target").isLessThan(deadline.plusSeconds(5));
        assertThat(report.outcomes()).hasSize(1000);
        assertThat(report.outcomes().keySet()).containsExactlyElementsOf(connections);
        assertThat(report.outcomes().values()).extracting(DisconnectOutcome::kind)
                .allMatch(EnumSet.of(DisconnectOutcome.Kind.ESCALATED, DisconnectOutcome.Kind.DROPPED)::contains);
        assertThat(report.count(DisconnectOutcome.Kind.ESCALATED) + report.count(DisconnectOutcome.Kind.DROPPED))
                .isEqualTo(1000);
        assertThat(report.count(DisconnectOutcome.Kind.ESCALATED)).as("graceful attempts that hit the deadline")
                .isPositive();
        assertThat(connections).allMatch(c -> c.state() == ConnectionState.DISCONNECTED);
        assertThat(host.openConnections()).isEmpty();
        assertThat(report.toString()).contains("1000 connections").contains("DROPPED");

        assertThat(clientSocketsAtReturn).as("client sockets still open when shutdown returned").isZero();
        int socketsAfter = ProcessResources.awaitCount(ProcessResources::openTcpSockets, n -> n <= socketsBefore,
                Duration.ofSeconds(5));
        assertThat(socketsAfter).as("TCP sockets once the in-process peer closed its ends too")
                .isLessThanOrEqualTo(socketsBefore);
    }

    @Test
    void shutdownEndsConnectionsGracefullyWhenThePeerAnswers() throws Exception {
        ManyConnectionsPeer peer = use(ManyConnectionsPeer.answering());
        PluginHost host = host();
        for (int i = 0; i < 20; i++) {
            host.open(peer.uri("tcp"), Options.empty()).connect();
        }
        Connection neverConnected = host.open(peer.uri("tcp"), Options.empty());

        ShutdownReport report = host.shutdown(Duration.ofSeconds(5));

        assertThat(report.count(DisconnectOutcome.Kind.CLEAN)).isEqualTo(20);
        assertThat(report.outcomes().get(neverConnected).kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(peer.goodbyes()).isEqualTo(20);
        assertThat(host.openConnections()).isEmpty();
    }

    @Test
    void shutdownWorkersAreGoneAfterwardsAndNoThreadRunsPerOpenConnection() throws Exception {
        ManyConnectionsPeer peer = use(ManyConnectionsPeer.silent());
        PluginHost host = host();
        host.open(peer.uri("tcp"), Options.empty()).connect(); // starts the api's shared deadline timer
        int threadsBefore = Thread.getAllStackTraces().size();
        for (int i = 0; i < 200; i++) {
            host.open(peer.uri("tcp"), Options.empty()).connect();
        }
        int threadsWhileOpen = Thread.getAllStackTraces().size();
        assertThat(threadsWhileOpen - threadsBefore).as("threads added by 200 open connections").isLessThan(5);

        host.shutdown(Duration.ofMillis(200));

        for (int i = 0; i < 50 && shutdownWorkersAlive() > 0; i++) {
            Thread.sleep(100);
        }
        assertThat(shutdownWorkersAlive()).as("shutdown worker threads still alive").isZero();
    }

    private static long shutdownWorkersAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("unplug-shutdown-") && t.isAlive()).count();
    }

    @Test
    void hostListenersHearOpenedStateChangesAndDisconnectedAndTheirExceptionsAreIgnored() throws Exception {
        ManyConnectionsPeer peer = use(ManyConnectionsPeer.answering());
        PluginHost host = host();
        List<String> events = new CopyOnWriteArrayList<>();
        host.addListener(new HostListener() {
            @Override
            public void opened(Connection c) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void stateChanged(Connection c, ConnectionState from, ConnectionState to) {
                throw new IllegalStateException("listener bug");
            }
        });
        HostListener recorder = new HostListener() {
            @Override
            public void opened(Connection c) {
                events.add("opened " + c.pluginId());
            }

            @Override
            public void stateChanged(Connection c, ConnectionState from, ConnectionState to) {
                events.add(from + "->" + to);
            }

            @Override
            public void disconnected(Connection c, DisconnectOutcome o) {
                events.add("disconnected " + o.kind());
            }
        };
        host.addListener(recorder);
        host.addListener(recorder);

        Connection c = host.open(peer.uri("tcp"), Options.empty());
        assertThat(host.openConnections()).containsExactly(c);
        c.connect();
        assertThat(c.disconnect(Duration.ofSeconds(5)).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);

        assertThat(events).containsExactly("opened tcp", "NOT_INITIALISED->CONNECTING", "CONNECTING->CONNECTED",
                "CONNECTED->DISCONNECTING", "DISCONNECTING->DISCONNECTED", "disconnected CLEAN");
        assertThat(host.openConnections()).as("forgotten once ended").isEmpty();

        host.removeListener(recorder);
        host.open(peer.uri("tcp"), Options.empty()).close();
        assertThat(events).hasSize(6);
    }

    @Test
    void hostForgetsAConnectionThatEndsOnItsOwn() throws Exception {
        ManyConnectionsPeer peer = use(ManyConnectionsPeer.silent());
        PluginHost host = host();
        Connection c = host.open(peer.uri("tcp"), readTimeout(Duration.ofMillis(100)));
        c.connect();
        assertThat(host.openConnections()).containsExactly(c);
        assertThat(c.disconnect(Duration.ofMillis(200)).kind()).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
        assertThat(host.openConnections()).isEmpty();
        assertThat(host.shutdown(Duration.ofSeconds(1)).outcomes()).isEmpty();
    }

    @Test
    void afterShutdownOrCloseTheHostOpensNothingAndCloseNeverThrows() throws Exception {
        ManyConnectionsPeer peer = use(ManyConnectionsPeer.silent());
        PluginHost host = use(PluginHost.builder().pluginDirectory(plugins).shutdownDeadline(Duration.ofMillis(200))
                .build());
        Connection open = host.open(peer.uri("tcp"), Options.empty());
        open.connect();

        host.close();
        host.close();

        assertThat(open.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThatThrownBy(() -> host.open(peer.uri("tcp"), Options.empty()))
                .isInstanceOfSatisfying(UnplugException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_STATE))
                .hasMessageContaining("closed");

        PluginHost other = host();
        other.shutdown(Duration.ofMillis(100));
        assertThatThrownBy(() -> other.open(peer.uri("tcp"), Options.empty()))
                .isInstanceOfSatisfying(UnplugException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_STATE))
                .hasMessageContaining("shut down");
    }

    @Test
    void optInShutdownHookEndsOpenConnectionsGracefullyWhenTheJvmExits() throws Exception {
        ManyConnectionsPeer peer = use(ManyConnectionsPeer.answering());

        assertThat(runChildJvm(peer, true)).contains("connected: CONNECTED");
        for (int i = 0; i < 50 && peer.goodbyes() < 1; i++) {
            Thread.sleep(100);
        }
        assertThat(peer.goodbyes()).as("goodbyes sent by the hook").isEqualTo(1);

        assertThat(runChildJvm(peer, false)).contains("connected: CONNECTED");
        for (int i = 0; i < 50 && peer.hungUp() < 1; i++) {
            Thread.sleep(100);
        }
        assertThat(peer.hungUp()).as("connections the OS closed at exit").isEqualTo(1);
        assertThat(peer.goodbyes()).as("no hook, no goodbye").isEqualTo(1);
    }

    /**
     * The shutdown hook on SIGTERM: the answering peer gets its goodbye, the silent one is dropped at the 1 s
     * deadline, and the JVM has exited within the deadline + 1 s of the signal.
     */
    @Test
    void sigtermEndsEveryConnectionByTheHooksDeadlineAndTheJvmExitsSoonAfter() throws Exception {
        ManyConnectionsPeer answering = use(ManyConnectionsPeer.answering());
        ManyConnectionsPeer silent = use(ManyConnectionsPeer.silent());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SigtermMain.class.getName(), plugins.toString(),
                String.valueOf(answering.port()), String.valueOf(silent.port())).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the child's first line").isEqualTo("ready");
            long signalled = System.nanoTime();
            p.destroy(); // SIGTERM on Linux
            assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("child JVM exited").isTrue();
            Duration exitedAfter = Duration.ofNanos(System.nanoTime() - signalled);
            assertThat(exitedAfter).as("exit after SIGTERM (deadline 1 s + 1 s)").isLessThan(Duration.ofSeconds(2));
            for (int i = 0; i < 50 && (answering.goodbyes() < 1 || silent.open() > 0); i++) {
                Thread.sleep(100);
            }
            assertThat(answering.goodbyes()).as("goodbyes the answering peer received").isEqualTo(1);
            assertThat(silent.goodbyes()).as("goodbyes the silent peer received (unanswered)").isEqualTo(1);
            assertThat(silent.open()).as("connections still open at the silent peer").isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static String runChildJvm(ManyConnectionsPeer peer, boolean hook) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShutdownHookMain.class.getName(), plugins.toString(),
                String.valueOf(peer.port()), String.valueOf(hook)).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("child JVM exited").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("child JVM exit status; output: %s", out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aHugeShutdownDeadlineIsRefusedBeforeAnythingChangesAndAnotherShutdownStillEndsEverything()
            throws Exception {
        ManyConnectionsPeer peer = use(ManyConnectionsPeer.answering());
        PluginHost host = host();
        Connection c = host.open(peer.uri("tcp"), Options.empty());
        c.connect();
        for (Duration huge : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(300 * 365)}) {
            assertThatThrownBy(() -> host.shutdown(huge)).isInstanceOfSatisfying(UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
            assertThatThrownBy(() -> PluginHost.builder().shutdownDeadline(huge))
                    .isInstanceOfSatisfying(UnplugException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(host.openConnections()).containsExactly(c);
        Connection another = host.open(peer.uri("tcp"), Options.empty());
        another.connect();

        ShutdownReport report = host.shutdown(Duration.ofSeconds(2));

        assertThat(report.outcomes()).hasSize(2);
        assertThat(report.outcomes().values()).allSatisfy(o -> assertThat(o.kind())
                .isEqualTo(DisconnectOutcome.Kind.CLEAN));
        assertThat(host.openConnections()).isEmpty();
    }

    @Test
    void closeUsesTheBuildersShutdownDeadline() throws Exception {
        ManyConnectionsPeer peer = use(ManyConnectionsPeer.silent());
        PluginHost host = use(PluginHost.builder().pluginDirectory(plugins)
                .shutdownDeadline(Duration.ofMillis(300)).shutdownHook(true).build());
        Connection c = host.open(peer.uri("tcp"), Options.empty());
        c.connect();
        long start = System.nanoTime();
        host.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(c.outcome()).hasValueSatisfying(o -> assertThat(o.kind())
                .isEqualTo(DisconnectOutcome.Kind.ESCALATED));
        assertThat(took).as("hang guard: well under the default 2 s disconnect deadline").isLessThan(
                Duration.ofMillis(1500));
    }
}
