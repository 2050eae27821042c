package dev.unplug.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.Options;
import dev.unplug.testkit.line.LineProvider;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs sample test classes with JUnit's engine test kit to prove that the extension fails tests that leak. */
class UnplugExtensionTest {

    static final String PASSWORD = "ExtensionSecret42";
    static LoopbackPeer peer;
    static Connection leaked;

    @BeforeAll
    static void startPeer() {
        peer = LoopbackPeer.scripted(LineScript.builder("+HELLO").on("LOGIN", "+OK").goodbye("QUIT", "+BYE").build());
    }

    @AfterAll
    static void stopPeer() {
        peer.close();
    }

    static Connection open(ConnectionTracker tracker) {
        URI uri = URI.create("line://tester:" + PASSWORD + "@127.0.0.1:" + peer.port());
        return tracker.track(new LineProvider().open(uri, Options.empty()));
    }

    @ExtendWith(UnplugExtension.class)
    static class LeakingSample {
        @Test
        void leavesAConnectionOpen(ConnectionTracker tracker) {
            leaked = open(tracker);
            leaked.connect();
        }
    }

    @ExtendWith(UnplugExtension.class)
    static class TidySample {
        @Test
        void disconnects(ConnectionTracker tracker) {
            Connection c = open(tracker);
            c.connect();
            c.disconnect(Duration.ofSeconds(2));
        }

        @Test
        void neverConnects(ConnectionTracker tracker) {
            open(tracker);
        }
    }

    static class RegisteredSample {
        @RegisterExtension
        static final UnplugExtension UNPLUG = new UnplugExtension();

        @Test
        void leavesAConnectionOpen(ConnectionTracker tracker) {
            leaked = open(tracker);
            leaked.connect();
        }
    }

    @ExtendWith(UnplugExtension.class)
    static class ClassLevelSample {
        static Connection shared;

        @BeforeAll
        static void connect(ConnectionTracker tracker) {
            shared = open(tracker);
            shared.connect();
        }

        @Test
        void usesTheSharedConnection() {
            assertThat(shared.state().isOpen()).isTrue();
        }
    }

    @Test
    void aTestThatLeavesAConnectionOpenFailsNamingItAndTheConnectionIsDropped() {
        Events tests = run(LeakingSample.class).testEvents();
        assertThat(tests.failed().count()).isEqualTo(1);
        String message = failureMessage(tests.failed().list());
        assertThat(message).contains("line connection line://tester:***@127.0.0.1:" + peer.port())
                .contains("left in state AUTHENTICATED").contains("dropped by UnplugExtension")
                .doesNotContain(PASSWORD);
        assertThat(leaked.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(leaked.outcome()).hasValueSatisfying(o -> UnplugAssertions.assertThat(o).isDropped());
        assertThat(peer.connections().get(peer.acceptedCount() - 1).awaitClosed(Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void aTestThatDisconnectsOrNeverConnectsPasses() {
        Events tests = run(TidySample.class).testEvents();
        assertThat(tests.succeeded().count()).isEqualTo(2);
        assertThat(tests.failed().count()).isZero();
    }

    @Test
    void theExtensionWorksWhenRegisteredAsAField() {
        Events tests = run(RegisteredSample.class).testEvents();
        assertThat(tests.failed().count()).isEqualTo(1);
        assertThat(leaked.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void aConnectionLeftOpenByBeforeAllFailsTheClassAfterItsTests() {
        var results = run(ClassLevelSample.class);
        assertThat(results.testEvents().succeeded().count()).as("the test itself").isEqualTo(1);
        List<Event> failedContainers = results.containerEvents().failed().list();
        assertThat(failedContainers).hasSize(1);
        assertThat(failureMessage(failedContainers)).contains("test class").contains("left in state AUTHENTICATED");
        assertThat(ClassLevelSample.shared.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    private static org.junit.platform.testkit.engine.EngineExecutionResults run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute();
    }

    private static String failureMessage(List<Event> failed) {
        return failed.get(0).getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .map(Throwable::getMessage).orElse("");
    }
}
