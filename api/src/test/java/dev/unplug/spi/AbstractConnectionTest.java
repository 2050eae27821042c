package dev.unplug.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.unplug.api.BusyPolicy;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared state machine, driven by a real plugin-style connection over loopback sockets. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AbstractConnectionTest {

    private static final Duration GUARD = Duration.ofSeconds(2);
    private LineServer server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private LineTestConnection connected(LineServer.Goodbye goodbye) throws Exception {
        server = new LineServer(goodbye);
        LineTestConnection c = new LineTestConnection(server.port(), Options.empty());
        c.connect();
        return c;
    }

    static UnplugException thrownBy(Runnable r) {
        return catchThrowableOfType(r::run, UnplugException.class);
    }

    static void awaitState(Connection c, ConnectionState s) throws InterruptedException {
        long end = System.nanoTime() + GUARD.toNanos();
        while (c.state() != s && System.nanoTime() < end) {
            Thread.sleep(2);
        }
        assertThat(c.state()).isEqualTo(s);
    }

    /** Records every event. */
    static final class Recorder implements ConnectionListener {
        final List<String> states = new CopyOnWriteArrayList<>();
        final List<DisconnectOutcome> endings = new CopyOnWriteArrayList<>();

        @Override
        public void stateChanged(Connection connection, ConnectionState from, ConnectionState to) {
            states.add(from + ">" + to);
        }

        @Override
        public void disconnected(Connection connection, DisconnectOutcome outcome) {
            endings.add(outcome);
        }
    }

    @Test
    void aNormalLifeGoesThroughEveryStateAndEndsClean() throws Exception {
        server = new LineServer(LineServer.Goodbye.ANSWER);
        LineTestConnection c = new LineTestConnection(server.port(), Options.empty());
        Recorder r = new Recorder();
        c.addListener(r);
        c.addListener(r);
        c.connect();
        assertThat(c.send("ECHO hello")).isEqualTo("hello");
        DisconnectOutcome o = c.disconnect(GUARD);
        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(o.lastReply()).contains("+BYE");
        assertThat(r.states).containsExactly("NOT_INITIALISED>CONNECTING", "CONNECTING>CONNECTED",
                "CONNECTED>BUSY", "BUSY>CONNECTED", "CONNECTED>DISCONNECTING", "DISCONNECTING>DISCONNECTED");
        assertThat(r.endings).containsExactly(o);
        assertThat(c.socketClosed()).isTrue();
        assertThat(server.received).containsExactly("ECHO hello", "QUIT");
    }

    @Test
    void theSeedsErrorsInEveryState() throws Exception {
        server = new LineServer(LineServer.Goodbye.ANSWER);
        LineTestConnection c = new LineTestConnection(server.port(), Options.empty());
        assertThat(thrownBy(c::disconnect).kind()).isEqualTo(ErrorKind.NOT_INITIALISED);
        assertThat(thrownBy(c::drop).kind()).isEqualTo(ErrorKind.NOT_INITIALISED);
        assertThat(thrownBy(() -> c.send("ECHO x")).kind()).isEqualTo(ErrorKind.NOT_INITIALISED);
        assertThat(c.state()).isEqualTo(ConnectionState.NOT_INITIALISED);
        c.connect();
        assertThat(thrownBy(c::connect).kind()).isEqualTo(ErrorKind.ALREADY_CONNECTED);
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        DisconnectOutcome o = c.disconnect(GUARD);
        assertThat(thrownBy(c::disconnect).kind()).isEqualTo(ErrorKind.NOT_CONNECTED);
        assertThat(thrownBy(c::connect).kind()).isEqualTo(ErrorKind.INVALID_STATE);
        assertThat(thrownBy(() -> c.send("ECHO x")).kind()).isEqualTo(ErrorKind.NOT_CONNECTED);
        assertThat(c.drop()).isSameAs(o);
        assertThat(c.outcome()).containsSame(o);
        assertThat(server.quits()).isEqualTo(1);
    }

    @Test
    void aCommandAfterADropRaisesConnectionDropped() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        DisconnectOutcome dropped = c.drop();
        assertThat(dropped.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(thrownBy(() -> c.send("ECHO x")).kind()).isEqualTo(ErrorKind.CONNECTION_DROPPED);
        assertThat(c.drop()).isSameAs(dropped);
        assertThat(server.quits()).isZero();
    }

    @Test
    void aDisconnectThePluginRefusesChangesNothingSendsNoGoodbyeAndDropIsNeverRefused() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        c.refuseDisconnect = new UnplugException(ErrorKind.CAPTURING, "stop the capture first");
        assertThat(thrownBy(() -> c.disconnect(GUARD)).kind()).isEqualTo(ErrorKind.CAPTURING);
        assertThat(thrownBy(c::disconnect).kind()).isEqualTo(ErrorKind.CAPTURING);
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(c.outcome()).isEmpty();
        assertThat(c.send("ECHO still open")).isEqualTo("still open");
        assertThat(server.quits()).as("goodbyes sent by refused disconnects").isZero();
        c.refuseDisconnect = null;
        assertThat(c.disconnect(GUARD).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);

        LineTestConnection d = new LineTestConnection(server.port(), Options.empty());
        d.connect();
        d.refuseDisconnect = new UnplugException(ErrorKind.CAPTURING, "stop the capture first");
        assertThat(d.drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        LineTestConnection e = new LineTestConnection(server.port(), Options.empty());
        e.connect();
        e.refuseDisconnect = new UnplugException(ErrorKind.CAPTURING, "stop the capture first");
        e.close();
        assertThat(e.outcome()).hasValueSatisfying(o -> assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED));
    }

    @Test
    void refusedDisconnectWhileBusyLeavesTheStateBusy() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        Worker w = Worker.start(() -> c.send("SLOW 500 done"));
        awaitState(c, ConnectionState.BUSY);
        assertThat(thrownBy(() -> c.disconnect(GUARD, BusyPolicy.REFUSE)).kind()).isEqualTo(ErrorKind.BUSY);
        assertThat(c.state()).isEqualTo(ConnectionState.BUSY);
        assertThat(w.result(GUARD)).isEqualTo("done");
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(server.quits()).as("goodbyes sent by the refused disconnect").isZero();
        assertThat(c.disconnect(GUARD).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
    }

    @Test
    void disconnectWaitsForTheCommandInFlightAndNeverInterleavesItsBytes() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        Worker w = Worker.start(() -> c.sendInHalves("ECHO first-half+second-half", 300));
        awaitState(c, ConnectionState.BUSY);
        DisconnectOutcome o = c.disconnect(Duration.ofSeconds(3));
        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(w.result(GUARD)).isEqualTo("first-half+second-half");
        assertThat(server.received).containsExactly("ECHO first-half+second-half", "QUIT");
    }

    @Test
    void theDeadlinePassingWhileACommandRunsEscalatesAndTheCommandGetsConnectionDropped() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        Worker w = Worker.start(() -> c.send("SLOW 3000 late"));
        awaitState(c, ConnectionState.BUSY);
        long start = System.nanoTime();
        DisconnectOutcome o = c.disconnect(Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GUARD);
        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
        assertThat(w.failure(GUARD).kind()).isEqualTo(ErrorKind.CONNECTION_DROPPED);
        assertThat(server.quits()).isZero();
        assertThat(c.socketClosed()).isTrue();
    }

    @Test
    void anUnansweredGoodbyeEscalatesAtTheDeadlineWithATimeout() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.IGNORE);
        long start = System.nanoTime();
        DisconnectOutcome o = c.disconnect(Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GUARD);
        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
        assertThat(o.cause()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat(c.socketClosed()).isTrue();
        assertThat(server.quits()).isEqualTo(1);
    }

    @Test
    void aRefusedGoodbyeIsReportedAndTheSocketReleased() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.REFUSE);
        DisconnectOutcome o = c.disconnect(GUARD);
        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.REFUSED);
        assertThat(o.lastReply()).contains("-ERR not now");
        assertThat(o.cause()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED));
        assertThat(c.socketClosed()).isTrue();
    }

    @Test
    void dropWhileAnotherThreadIsBlockedReadingReleasesItPromptlyWithAnErrorNamingTheCommand() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        Worker w = Worker.start(() -> c.send("MUTE"));
        awaitState(c, ConnectionState.BUSY);
        Thread.sleep(50);
        long start = System.nanoTime();
        DisconnectOutcome o = c.drop();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
        assertThat(o.reason()).contains("command was in flight");
        UnplugException e = w.failure(GUARD);
        assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION_DROPPED);
        assertThat(thrownBy(c::disconnect).kind()).isEqualTo(ErrorKind.NOT_CONNECTED);
        // the blocked command's error names the command and the redacted URI, and keeps the read failure as cause
        assertThat(e.getMessage()).isEqualTo("MUTE on " + c.uri() + " ended because the connection was dropped")
                .doesNotContain("hunter2");
        assertThat(e.toString()).as("toString shows the same message").endsWith(": " + e.getMessage());
        assertThat(e.getCause()).as("what the blocked read saw").isNotNull();
        assertThat(e.getStackTrace()).as("raised where it would only repeat its cause's").isEmpty();
    }

    @Test
    void listenersHearDisconnectedExactlyOnceWhenDisconnectsAndDropsRace() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        Recorder r = new Recorder();
        c.addListener(r);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Worker> workers = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean drop = i % 2 == 0;
            workers.add(Worker.start(() -> {
                go.await();
                return drop ? c.drop() : c.disconnect(GUARD);
            }));
        }
        go.countDown();
        DisconnectOutcome first = null;
        for (Worker w : workers) {
            Object result = w.outcome(GUARD);
            if (result instanceof UnplugException e) {
                assertThat(e.kind()).as("error of a late disconnect").isEqualTo(ErrorKind.NOT_CONNECTED);
            } else {
                first = first == null ? (DisconnectOutcome) result : first;
                assertThat(result).as("every outcome is the same object").isSameAs(first);
            }
        }
        assertThat(r.endings).containsExactly(first);
        assertThat(c.outcome()).containsSame(first);
        assertThat(server.quits()).isLessThanOrEqualTo(1);
    }

    @Test
    void aDropAfterTheGoodbyeWasSentIsEscalatedNotDropped() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.IGNORE);
        Worker graceful = Worker.start(() -> c.disconnect(Duration.ofSeconds(5)));
        long until = System.nanoTime() + GUARD.toNanos();
        while (server.quits() == 0 && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        assertThat(server.quits()).as("QUIT reached the server").isEqualTo(1);

        DisconnectOutcome o = c.drop();

        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.ESCALATED);
        assertThat(o.reason()).startsWith("goodbye sent").contains("the drop may have cut it off before the server read it");
        assertThat(o.cause()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION_DROPPED));
        assertThat(graceful.outcome(GUARD)).isSameAs(o);
    }

    @Test
    void whenADropRacesAGracefulDisconnectDroppedMeansTheServerNeverSawTheGoodbye() throws Exception {
        for (int i = 0; i < 60; i++) {
            // a server per run, read to its end before counting: a late QUIT of one run never counts in another
            try (LineServer own = new LineServer(LineServer.Goodbye.ANSWER)) {
                LineTestConnection c = new LineTestConnection(own.port(), Options.empty());
                c.connect();
                java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
                Worker graceful = Worker.start(() -> {
                    go.await();
                    return c.disconnect(GUARD);
                });
                go.await();
                c.drop();
                Object result = graceful.outcome(GUARD);
                if (result instanceof UnplugException late) {
                    assertThat(late.kind()).as("a disconnect that starts after the drop").isEqualTo(
                            ErrorKind.NOT_CONNECTED);
                }
                DisconnectOutcome o = c.outcome().orElseThrow();
                assertThat(own.awaitSessionsEnded(GUARD.toMillis())).as("run %d: the server saw the end", i).isTrue();
                if (o.kind() == DisconnectOutcome.Kind.DROPPED) {
                    assertThat(own.quits()).as("run %d ended DROPPED, so no QUIT may arrive", i).isZero();
                } else {
                    assertThat(o.kind()).as("run %d: %s", i, o).isIn(DisconnectOutcome.Kind.CLEAN,
                            DisconnectOutcome.Kind.ESCALATED);
                }
            }
        }
    }

    @Test
    void aDropRacingTheConnectNeverLeavesTheSocketOpenAtTheKernel() throws Exception {
        // found by StateMachineProperties: a close of a new Socket whose descriptor did not exist yet only marked it
        // closed, and the racing connect then opened a descriptor nothing could close
        for (int i = 0; i < 150; i++) {
            try (LineServer own = new LineServer(LineServer.Goodbye.ANSWER)) {
                LineTestConnection c = new LineTestConnection(own.port(), Options.empty());
                java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
                Worker connecting = Worker.start(() -> {
                    go.await();
                    c.connect();
                    return "connected";
                });
                go.await();
                if (i % 3 != 0) {
                    Thread.onSpinWait();
                }
                try {
                    c.drop();
                } catch (UnplugException notYet) {
                    assertThat(notYet.kind()).isEqualTo(ErrorKind.NOT_INITIALISED);
                }
                connecting.outcome(GUARD);
                c.close();
                assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
                assertThat(own.awaitSessionsEnded(GUARD.toMillis())).as("run %d: the server saw the end", i).isTrue();
            }
        }
    }

    @Test
    void disconnectsWaitingBehindACommandShareOneOutcomeAndOneGoodbye() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        Worker command = Worker.start(() -> c.send("SLOW 400 done"));
        awaitState(c, ConnectionState.BUSY);
        Worker a = Worker.start(() -> c.disconnect(Duration.ofSeconds(5)));
        Worker b = Worker.start(() -> c.disconnect(Duration.ofSeconds(5)));
        assertThat(command.result(GUARD)).isEqualTo("done");
        Object first = a.outcome(Duration.ofSeconds(6));
        Object second = b.outcome(Duration.ofSeconds(6));
        assertThat(first).isInstanceOf(DisconnectOutcome.class);
        assertThat(second).as("the second concurrent disconnect").isSameAs(first);
        assertThat(server.quits()).isEqualTo(1);
    }

    @Test
    void aThrowingListenerBreaksNothing() throws Exception {
        server = new LineServer(LineServer.Goodbye.ANSWER);
        LineTestConnection c = new LineTestConnection(server.port(), Options.empty());
        c.addListener(new ConnectionListener() {
            @Override
            public void stateChanged(Connection connection, ConnectionState from, ConnectionState to) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void disconnected(Connection connection, DisconnectOutcome outcome) {
                throw new IllegalStateException("listener bug");
            }
        });
        Recorder r = new Recorder();
        c.addListener(r);
        c.connect();
        assertThat(c.send("ECHO still works")).isEqualTo("still works");
        DisconnectOutcome o = c.disconnect(GUARD);
        assertThat(o.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        assertThat(r.endings).containsExactly(o);
        assertThat(r.states).hasSize(6);
        c.removeListener(r);
    }

    @Test
    void disconnectFromInsideACommandOfTheSameThreadIsBusy() throws Exception {
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        ErrorKind inside = c.command("nested", () -> thrownBy(c::disconnect).kind());
        assertThat(inside).isEqualTo(ErrorKind.BUSY);
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(c.disconnect(GUARD).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
    }

    @Test
    void resetOnDropResetsOnlyOnADropThatAsksForIt() throws Exception {
        server = new LineServer(LineServer.Goodbye.ANSWER);
        LineTestConnection plain = new LineTestConnection(server.port(), Options.empty());
        plain.connect();
        plain.drop();
        assertThat(plain.resetRequested).isFalse();
        Options reset = Options.builder().set(Options.RESET_ON_DROP, true).build();
        LineTestConnection resetting = new LineTestConnection(server.port(), reset);
        resetting.connect();
        resetting.drop();
        assertThat(resetting.resetRequested).isTrue();
        LineTestConnection graceful = new LineTestConnection(server.port(), reset);
        graceful.connect();
        graceful.disconnect(GUARD);
        assertThat(graceful.resetRequested).isFalse();
    }

    @Test
    void aFailedConnectEndsTheConnectionWithATypedError() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            unused = s.getLocalPort();
        }
        LineTestConnection c = new LineTestConnection(unused, Options.empty());
        Recorder r = new Recorder();
        c.addListener(r);
        UnplugException e = thrownBy(c::connect);
        assertThat(e.kind()).isEqualTo(ErrorKind.CONNECT_FAILED);
        assertThat(e.getMessage()).doesNotContain("hunter2");
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(r.endings).hasSize(1);
        assertThat(r.endings.get(0).kind()).isEqualTo(DisconnectOutcome.Kind.FAILED);
    }

    @Test
    void theConnectTimeoutHoldsAgainstAServerThatNeverGreets() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            LineTestConnection c = new LineTestConnection(mute.getLocalPort(),
                    Options.builder().set(Options.CONNECT_TIMEOUT, "300ms").build());
            long start = System.nanoTime();
            UnplugException e = thrownBy(c::connect);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GUARD);
            assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(c.socketClosed()).isTrue();
        }
    }

    @Test
    void badArgumentsAndOptionsAreTypedErrors() throws Exception {
        assertThat(thrownBy(() -> new LineTestConnection(1, Options.builder().set(Options.READ_TIMEOUT, "soon")
                .build())).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(thrownBy(() -> new LineTestConnection(1, null)).kind()).isEqualTo(ErrorKind.NULL_ARGUMENT);
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        assertThat(thrownBy(() -> c.disconnect(null)).kind()).isEqualTo(ErrorKind.NULL_ARGUMENT);
        assertThat(thrownBy(() -> c.disconnect(GUARD, null)).kind()).isEqualTo(ErrorKind.NULL_ARGUMENT);
        assertThat(thrownBy(() -> c.disconnect(Duration.ZERO)).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(thrownBy(() -> c.addListener(null)).kind()).isEqualTo(ErrorKind.NULL_ARGUMENT);
        assertThat(thrownBy(() -> c.unwrap(null)).kind()).isEqualTo(ErrorKind.NULL_ARGUMENT);
        assertThat(thrownBy(() -> c.unwrap(String.class)).kind()).isEqualTo(ErrorKind.NOT_SUPPORTED);
        assertThat(c.unwrap(Connection.class)).isSameAs(c);
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        c.close();
        assertThat(server.quits()).isEqualTo(1);
    }

    @Test
    void hugeDeadlinesAndTimeoutsAreRefusedBeforeAnythingChanges() throws Exception {
        for (String huge : new String[] {"9223372036854775807ms", "2562047788015h"}) {
            for (String option : new String[] {Options.CONNECT_TIMEOUT, Options.READ_TIMEOUT,
                Options.DISCONNECT_DEADLINE}) {
                UnplugException e = thrownBy(() -> new LineTestConnection(1, Options.builder().set(option, huge)
                        .build()));
                assertThat(e.kind()).as(option + "=" + huge).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                assertThat(e.getMessage()).contains(option, huge);
            }
        }
        LineTestConnection c = connected(LineServer.Goodbye.ANSWER);
        for (Duration huge : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(300 * 365)}) {
            assertThat(thrownBy(() -> c.disconnect(huge)).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(thrownBy(() -> c.disconnect(huge, BusyPolicy.REFUSE)).kind())
                    .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
        assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(server.quits()).isZero();
        assertThat(c.disconnect().kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
    }

    @Test
    void secretsStayOutOfUriAndToString() throws Exception {
        LineTestConnection c = new LineTestConnection(1, Options.empty());
        assertThat(c.uri().toString()).isEqualTo("line://tester:***@127.0.0.1:1");
        assertThat(c.toString()).doesNotContain("hunter2").contains("NOT_INITIALISED");
        assertThat(c.userName()).contains("tester");
        assertThat(c.password()).contains("hunter2");
        c.close();
        c.close();
        assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }
}
