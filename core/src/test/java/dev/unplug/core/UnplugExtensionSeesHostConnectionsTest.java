package dev.unplug.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.Options;
import dev.unplug.testkit.TrackedOnly;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.peer.ManyConnectionsPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The testkit's extension sees every connection a plugin host opens during a test, without the test telling it:
 * sample test classes run through JUnit's engine test kit against a real host and a loopback peer.
 */
class UnplugExtensionSeesHostConnectionsTest {

    @TempDir
    static Path work;

    static PluginHost host;
    static ManyConnectionsPeer peer;
    static final List<Connection> opened = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path plugins = Files.createDirectory(work.resolve("plugins"));
        PluginJars.jar(plugins, "tcp.jar", "tcp.TcpProvider",
                PluginJars.tcpPlugin("tcp", "tcp", "tcp", "unplug.test.extension.constructed"));
        host = PluginHost.builder().pluginDirectory(plugins).build();
        peer = ManyConnectionsPeer.answering();
    }

    @AfterAll
    static void stop() {
        host.close();
        peer.close();
    }

    @AfterEach
    void forget() {
        opened.clear();
    }

    static Connection openThroughTheHost() {
        Connection c = host.open(peer.uri("tcp"), Options.empty());
        c.connect();
        opened.add(c);
        return c;
    }

    @ExtendWith(UnplugExtension.class)
    static class LeavesAHostConnectionOpen {
        @Test
        void leaves() {
            openThroughTheHost();
        }
    }

    @ExtendWith(UnplugExtension.class)
    static class EndsItsHostConnection {
        @Test
        void ends() {
            openThroughTheHost().drop();
        }
    }

    @ExtendWith(UnplugExtension.class)
    static class LeavesOneOpenFromAThreadItStarted {
        @Test
        void leavesFromAnotherThread() throws InterruptedException {
            Thread t = new Thread(UnplugExtensionSeesHostConnectionsTest::openThroughTheHost);
            t.start();
            t.join();
        }
    }

    @ExtendWith(UnplugExtension.class)
    static class LeavesOneOpenFromBeforeAll {
        @BeforeAll
        static void openOne() {
            openThroughTheHost();
        }

        @Test
        void nothingHere() {
            assertThat(opened).hasSize(1);
        }
    }

    @ExtendWith(UnplugExtension.class)
    @TrackedOnly
    static class OptedOut {
        @Test
        void leavesOnPurpose() {
            openThroughTheHost();
        }
    }

    private static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().allEvents();
    }

    private static String failureOf(Events events) {
        return events.failed().stream().map(Event::getPayload).flatMap(java.util.Optional::stream)
                .map(p -> ((TestExecutionResult) p).getThrowable().map(Throwable::getMessage).orElse(""))
                .findFirst().orElse("no failure");
    }

    @Test
    void aTestThatLeavesAHostConnectionOpenFailsNamingItAndTheConnectionIsDropped() {
        Events events = run(LeavesAHostConnectionOpen.class);
        assertThat(events.failed().count()).isEqualTo(1);
        assertThat(failureOf(events)).startsWith("1 connection(s) left open by test leaves() (dropped by "
                + "UnplugExtension): tcp connection tcp://127.0.0.1:");
        assertThat(opened).singleElement().satisfies(c ->
                assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED));
    }

    @Test
    void aTestThatEndsItsHostConnectionPasses() {
        Events events = run(EndsItsHostConnection.class);
        assertThat(events.failed().count()).isZero();
        assertThat(events.succeeded().count()).isGreaterThanOrEqualTo(1);
        assertThat(opened).hasSize(1);
    }

    @Test
    void aConnectionOpenedOnAThreadTheTestStartedIsTheTests() {
        Events events = run(LeavesOneOpenFromAThreadItStarted.class);
        assertThat(failureOf(events)).startsWith("1 connection(s) left open by test leavesFromAnotherThread()");
    }

    @Test
    void aConnectionLeftOpenByBeforeAllFailsTheTestClass() {
        Events events = run(LeavesOneOpenFromBeforeAll.class);
        assertThat(failureOf(events)).startsWith("1 connection(s) left open by test class UnplugExtensionSeesHostConnectionsTest$LeavesOneOpenFromBeforeAll");
        assertThat(opened).singleElement().satisfies(c ->
                assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED));
    }

    @Test
    void trackedOnlyTurnsTheWatchingOfHostsOff() {
        Events events = run(OptedOut.class);
        assertThat(events.failed().count()).isZero();
        assertThat(opened).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
            c.drop();
        });
    }
}
