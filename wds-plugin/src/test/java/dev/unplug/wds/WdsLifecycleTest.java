package dev.unplug.wds;

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.session.LeaveReason;
import dev.unplug.api.session.TransferResult;
import dev.unplug.testkit.ProcessResources;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ending things: a client's graceful disconnect and drop, inactivity, session and content termination, namespace
 * deregistration, and nothing (thread, socket) outliving a client or the server.
 */
class WdsLifecycleTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private static WdsFixture slow(Path work) throws Exception {
        return new WdsFixture(work, 1 << 20, b -> b.rate(256 << 10));
    }

    @Test
    void theFirstClientOfASessionIsServedEvenWhenSendingStartsAtOnce() throws Exception {
        // regression: the session's sender thread used to start before its first client had joined, saw no client,
        // and ended the session, leaving that client in a session nobody served
        try (WdsFixture f = new WdsFixture(work, 64 << 10, b -> b.startDelay(Duration.ZERO))) {
            for (int i = 0; i < 30; i++) {
                WdsConnection c = f.client("c" + i);
                c.connect();
                f.assertComplete(c.awaitResult(Duration.ofSeconds(10)), "c" + i);
                c.disconnect();
            }
        }
    }

    @Test
    void aGracefulDisconnectLeavesWithTheServersAcknowledgementAndKeepsNoFile() throws Exception {
        try (WdsFixture f = slow(work)) {
            WdsConnection c = f.client("c");
            c.connect();
            assertThat(ProcessResources.awaitCondition(() -> c.progress().percent() >= 5, LONG)).isTrue();
            assertThat(c.disconnect()).isClean().hasLastReplyContaining("leave acknowledged");
            assertThat(c.result().orElseThrow().status()).isEqualTo(TransferResult.Status.CANCELLED);
            assertThat(f.filesOf("c")).isEmpty();
            assertThat(f.server.client(c.clientId()).leftBecause()).contains(LeaveReason.CANCELLED);
        }
    }

    @Test
    void aDropJustStopsAndKeepsNoFile() throws Exception {
        try (WdsFixture f = slow(work)) {
            WdsConnection c = f.client("c");
            c.connect();
            assertThat(ProcessResources.awaitCondition(() -> c.progress().percent() >= 5, LONG)).isTrue();
            assertThat(c.drop()).isDropped();
            assertThat(c.awaitResult(LONG).status()).isEqualTo(TransferResult.Status.CANCELLED);
            assertThat(f.filesOf("c")).isEmpty();
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().isEmpty(), LONG)).isTrue();
            assertThat(f.server.client(c.clientId()).leftBecause()).contains(LeaveReason.INACTIVE);
        }
    }

    @Test
    void aClientThatGoesSilentIsTimedOutAsInactive() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 64 << 10, b -> b.inactivityTimeout(Duration.ofMillis(500)));
                Socket silent = new Socket("127.0.0.1", f.server.port())) {
            DataOutputStream out = new DataOutputStream(silent.getOutputStream());
            out.write(Wire.frame(Wire.JOIN, o -> {
                o.writeUTF("silent");
                o.writeUTF(WdsFixture.NS);
                o.writeUTF(WdsFixture.CONTENT);
            }));
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().size() == 1, LONG)).isTrue();
            long id = f.server.clients().get(0).id();
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().isEmpty(), LONG)).isTrue();
            assertThat(f.server.client(id).leftBecause()).contains(LeaveReason.INACTIVE);
        }
    }

    @Test
    void terminatingASessionAbortsEveryClientInIt() throws Exception {
        try (WdsFixture f = slow(work)) {
            WdsConnection a = f.client("a");
            WdsConnection b = f.client("b");
            a.connect();
            b.connect();
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().size() == 2, LONG)).isTrue();
            List<WdsSession> sessions = f.server.sessions();
            assertThat(sessions).hasSize(1);
            sessions.get(0).terminate();
            for (WdsConnection c : List.of(a, b)) {
                assertThat(c.awaitResult(LONG).status()).isEqualTo(TransferResult.Status.ABORTED);
            }
            assertThat(f.filesOf("a")).isEmpty();
            assertThat(f.filesOf("b")).isEmpty();
            assertThat(sessions.get(0).isActive()).isFalse();
            assertThat(f.server.sessions()).isEmpty();
        }
    }

    @Test
    void terminatingAContentEndsItsSessionsButAClientJoiningLaterStartsANewOne() throws Exception {
        try (WdsFixture f = slow(work)) {
            WdsConnection first = f.client("first");
            first.connect();
            assertThat(ProcessResources.awaitCondition(() -> f.server.sessions().size() == 1, LONG)).isTrue();
            long firstSession = f.server.sessions().get(0).id();
            f.server.terminateContent(WdsFixture.NS, WdsFixture.CONTENT);
            assertThat(first.awaitResult(LONG).status()).isEqualTo(TransferResult.Status.ABORTED);
            assertThat(ProcessResources.awaitCondition(() -> f.server.sessions().isEmpty(), LONG)).isTrue();

            WdsConnection later = f.client("later");
            later.connect();
            assertThat(f.server.sessions()).extracting(WdsSession::id).doesNotContain(firstSession).hasSize(1);
            later.drop();
            assertThatUnplugThrownBy(() -> f.server.terminateContent(WdsFixture.NS, "nope"))
                    .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("no content nope");
        }
    }

    @Test
    void deregisteringANamespaceWithTerminateEndsItsSessionsAndRefusesNewJoins() throws Exception {
        try (WdsFixture f = slow(work)) {
            WdsConnection c = f.client("c");
            c.connect();
            f.server.deregister(WdsFixture.NS, true);
            assertThat(c.awaitResult(LONG).status()).isEqualTo(TransferResult.Status.ABORTED);
            WdsConnection late = f.client("late");
            assertThatUnplugThrownBy(late::connect).hasKind(ErrorKind.INVALID_ARGUMENT)
                    .messageContains("no namespace images");
            assertThat(f.filesOf("late")).isEmpty();
        }
    }

    @Test
    void deregisteringANamespaceWithoutTerminateLetsItsSessionsFinish() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 512 << 10, b -> b.rate(1 << 20))) {
            WdsConnection c = f.client("c");
            c.connect();
            f.server.deregister(WdsFixture.NS, false);
            f.assertComplete(c.awaitResult(LONG), "c");
            assertThatUnplugThrownBy(() -> f.client("late").connect()).hasKind(ErrorKind.INVALID_ARGUMENT);
            assertThatUnplugThrownBy(() -> f.server.deregister(WdsFixture.NS, false))
                    .hasKind(ErrorKind.INVALID_ARGUMENT);
        }
    }

    @Test
    void noThreadOrSocketOutlivesAClientsDisconnectOrTheServersClose() throws Exception {
        Set<Thread> before = ProcessResources.liveThreads();
        int fds = ProcessResources.openFileDescriptors();
        try (WdsFixture f = slow(work)) {
            WdsConnection graceful = f.client("graceful");
            WdsConnection dropped = f.client("dropped");
            WdsConnection complete = f.client("complete");
            graceful.connect();
            dropped.connect();
            complete.connect();
            assertThat(ProcessResources.threadsNotIn(before)).as("threads while receiving").isNotEmpty();
            graceful.disconnect();
            dropped.drop();
            f.server.disconnect(complete.clientId(), dev.unplug.api.session.DisconnectType.FALLBACK);
            f.assertComplete(complete.awaitResult(LONG), "complete");
            complete.disconnect();
            assertThat(ProcessResources.awaitCondition(() -> ProcessResources.threadsNotIn(before).stream()
                    .noneMatch(t -> t.getName().startsWith("unplug-wds-client-receive-")
                            || t.getName().startsWith("unplug-wds-client-control-")),
                    Duration.ofSeconds(10))).as("client loops still running").isTrue();
        }
        // the clients' threads stay, parked, for the next clients (ClientThreads): at most one per loop run
        assertThat(ProcessResources.awaitCondition(() -> ProcessResources.threadsNotIn(before,
                "unplug-wds-client-idle").isEmpty(), Duration.ofSeconds(10))).as("threads left: "
                + ProcessResources.names(ProcessResources.threadsNotIn(before, "unplug-wds-client-idle"))).isTrue();
        assertThat(ProcessResources.threadsNotIn(before)).as("idle client threads").hasSizeLessThanOrEqualTo(6)
                .allSatisfy(t -> assertThat(t.getState()).isIn(Thread.State.TIMED_WAITING, Thread.State.WAITING));
        assertThat(ProcessResources.awaitCount(ProcessResources::openFileDescriptors, n -> n <= fds,
                Duration.ofSeconds(10))).as("file descriptors").isLessThanOrEqualTo(fds);
    }

    @Test
    void badUrisAndOptionsAreTypedErrorsRaisedByOpen() {
        WdsProvider p = new WdsProvider();
        assertThatUnplugThrownBy(() -> p.open(null, Options.empty())).hasKind(ErrorKind.NULL_ARGUMENT);
        for (String bad : List.of("wds://127.0.0.1/ns/c", "wds://127.0.0.1:1/only", "wds://127.0.0.1:1/a/b/c",
                "wds://127.0.0.1:1/ns/..", "smtp://127.0.0.1:1/ns/c", "wds:opaque")) {
            assertThatUnplugThrownBy(() -> p.open(java.net.URI.create(bad), Options.empty()))
                    .as(bad).hasKind(ErrorKind.INVALID_ARGUMENT);
        }
        assertThatUnplugThrownBy(() -> p.open(java.net.URI.create("wds://u:hunter2@127.0.0.1/ns/c"), Options.empty()))
                .hasKind(ErrorKind.INVALID_ARGUMENT).messageDoesNotContain("hunter2");
        var c = (WdsConnection) p.open(java.net.URI.create("wds://127.0.0.1:9/ns/c?out=/nonexistent/dir"),
                Options.empty());
        assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("out");
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThatUnplugThrownBy(() -> c.awaitResult(null)).hasKind(ErrorKind.NULL_ARGUMENT);
    }
}
