package dev.unplug.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.BusyPolicy;
import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The state machine under random interleavings: three threads each run a random list of calls (the first thread
 * starts with a connect; then connect, a
 * command, a slow command, graceful disconnect, disconnect without waiting, drop, close) on one connection to a
 * real loopback server, all at once. Whatever the order, the server receives at most one goodbye, the connection
 * ends with exactly one outcome announced once, every failure is an {@link UnplugException}, and no password
 * shows in any message.
 */
class StateMachineProperties {

    /** The calls a thread may make. */
    enum Call {
        CONNECT, COMMAND, SLOW_COMMAND, DISCONNECT, DISCONNECT_REFUSING_BUSY, BEGIN_DISCONNECT, DROP, CLOSE
    }

    @Provide
    Arbitrary<List<Call>> calls() {
        return Arbitraries.of(Call.class).list().ofMinSize(1).ofMaxSize(5);
    }

    @Property(tries = 200)
    void anyInterleavingEndsOnceWithAtMostOneGoodbyeAndOnlyTypedErrors(
            @ForAll("calls") List<Call> first, @ForAll("calls") List<Call> second,
            @ForAll("calls") List<Call> third) throws Exception {
        try (LineServer server = new LineServer(LineServer.Goodbye.ANSWER)) {
            LineTestConnection c = new LineTestConnection(server.port(), Options.builder()
                    .set(Options.CONNECT_TIMEOUT, "2s").set(Options.READ_TIMEOUT, "2s").build());
            List<DisconnectOutcome> announced = new CopyOnWriteArrayList<>();
            List<Throwable> untyped = new CopyOnWriteArrayList<>();
            List<String> messages = new CopyOnWriteArrayList<>();
            c.addListener(new ConnectionListener() {
                @Override
                public void disconnected(Connection connection, DisconnectOutcome outcome) {
                    announced.add(outcome);
                }
            });
            CyclicBarrier go = new CyclicBarrier(3);
            List<Thread> threads = new ArrayList<>();
            List<Call> connectFirst = new ArrayList<>(List.of(Call.CONNECT));
            connectFirst.addAll(first); // most interleavings then run against a connected connection
            for (List<Call> calls : List.of(connectFirst, second, third)) {
                Thread t = new Thread(() -> {
                    try {
                        go.await(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        untyped.add(e);
                        return;
                    }
                    for (Call call : calls) {
                        try {
                            Object result = run(c, call);
                            messages.add(String.valueOf(result));
                        } catch (UnplugException e) {
                            messages.add(e.getMessage());
                        } catch (Throwable e) {
                            untyped.add(e);
                        }
                    }
                }, "state-machine-" + threads.size());
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(20_000);
                assertThat(t.isAlive()).as("%s still running: a hang", t.getName()).isFalse();
            }
            c.close();
            assertThat(untyped).as("failures that are not UnplugException").isEmpty();
            assertThat(c.outcome()).as("an outcome once it has ended").isPresent();
            assertThat(announced).as("disconnected events").containsExactly(c.outcome().get());
            assertThat(c.socketOpen()).as("a socket left open").isFalse();
            assertThat(server.awaitSessionsEnded(5_000)).as("the server saw the connection end (no socket left"
                    + " open at the kernel)").isTrue();
            assertThat(server.quits()).as("goodbyes the server received").isLessThanOrEqualTo(1);
            assertThat(messages).allSatisfy(m -> assertThat(m).doesNotContain("hunter2"));
            assertThat(c.toString()).doesNotContain("hunter2");
        }
    }

    private static Object run(LineTestConnection c, Call call) {
        return switch (call) {
            case CONNECT -> {
                c.connect();
                yield "connected";
            }
            case COMMAND -> c.send("ECHO hello");
            case SLOW_COMMAND -> c.send("SLOW 20 done");
            case DISCONNECT -> c.disconnect(Duration.ofSeconds(2));
            case DISCONNECT_REFUSING_BUSY -> c.disconnect(Duration.ofSeconds(2), BusyPolicy.REFUSE);
            case BEGIN_DISCONNECT -> {
                PendingDisconnect p = c.beginDisconnect(Duration.ofSeconds(2));
                yield p == null ? "not started" : p.finish();
            }
            case DROP -> c.drop();
            case CLOSE -> {
                c.close();
                yield "closed";
            }
        };
    }
}
