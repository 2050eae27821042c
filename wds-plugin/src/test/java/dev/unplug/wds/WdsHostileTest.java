package dev.unplug.wds;

import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.session.TransferResult;
import dev.unplug.testkit.ProcessResources;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed, truncated and foreign datagrams, garbage control frames, and servers that break the protocol. */
class WdsHostileTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void malformedTruncatedAndForeignDatagramsOnTheGroupPortAreCountedAndIgnored() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 512 << 10, b -> b.rate(256 << 10));
                MulticastSocket hostile = new MulticastSocket(new InetSocketAddress("127.0.0.1", 0))) {
            hostile.setNetworkInterface(NetworkInterface.getByName("lo"));
            hostile.setTimeToLive(0);
            WdsConnection c = f.client("c");
            c.connect();
            assertThat(ProcessResources.awaitCondition(() -> c.progress().percent() >= 5, LONG)).isTrue();
            InetSocketAddress group = f.server.dataAddress();
            long session = f.server.sessions().get(0).id();
            Random random = new Random(7);
            byte[] block = new byte[1400];
            Arrays.fill(block, (byte) 0x55);
            byte[] datagram = new byte[Wire.HEADER + 1400];
            int malformed = 0;
            int foreign = 0;
            for (int i = 0; i < 50; i++) {
                byte[] noise = new byte[1 + random.nextInt(1500)];
                random.nextBytes(noise);
                send(hostile, group, noise, noise.length);                   // noise
                int length = Wire.datagram(datagram, Wire.DATA, session, i, block, 1400);
                send(hostile, group, datagram, length - 1 - random.nextInt(1000)); // truncated
                datagram[Wire.HEADER + 3] ^= 1;
                send(hostile, group, datagram, length);                      // checksum broken
                malformed += 3;
                length = Wire.datagram(datagram, Wire.DATA, session + 1000, i, block, 1400);
                send(hostile, group, datagram, length);                      // another session's
                length = Wire.datagram(datagram, Wire.DATA, session, 1_000_000 + i, block, 1400);
                send(hostile, group, datagram, length);                      // beyond the content
                foreign += 2;
                Thread.sleep(2); // paced, so that the kernel's receive buffer does not drop what is being counted
            }
            TransferResult r = c.awaitResult(LONG);
            f.assertComplete(r, "c");
            // counted (a loaded machine's kernel may still drop a few before the client reads them) and ignored
            assertThat(r.datagramsMalformed()).as("malformed counted").isBetween(malformed / 2L, (long) malformed);
            assertThat(r.datagramsForeign()).as("foreign counted").isBetween(foreign / 2L, (long) foreign);
        }
    }

    private static void send(MulticastSocket s, InetSocketAddress to, byte[] bytes, int length) throws IOException {
        s.send(new DatagramPacket(bytes, length, to));
    }

    @Test
    void garbageOnTheControlPortClosesThatConnectionOnlyAndIsCounted() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 256 << 10, b -> b)) {
            try (Socket s = new Socket("127.0.0.1", f.server.port())) {
                s.getOutputStream().write(new byte[] {9, 0x7f, 0, 0, 0, 1, 2, 3});   // 2 GiB claimed
                assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            }
            try (Socket s = new Socket("127.0.0.1", f.server.port())) {
                s.getOutputStream().write(Wire.frame(Wire.NAK, o -> o.writeInt(1)));  // a NAK before any join
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(f.server.framesMalformed()).isEqualTo(2);
            WdsConnection c = f.client("c");
            c.connect();
            f.assertComplete(c.awaitResult(LONG), "c");
        }
    }

    @Test
    void aClientNameWithControlCharactersCannotForgeLinesInTheServersView() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 64 << 10, b -> b.rate(64 << 10));
                Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.getOutputStream().write(Wire.frame(Wire.JOIN, o -> {
                o.writeUTF("evil\nclient 99 (admin, 100 %)" + "x".repeat(300));
                o.writeUTF(WdsFixture.NS);
                o.writeUTF(WdsFixture.CONTENT);
            }));
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().size() == 1, LONG)).isTrue();
            String name = f.server.clients().get(0).name();
            assertThat(name).startsWith("evil?client 99").doesNotContain("\n").hasSize(128);
        }
    }

    @Test
    void theServerForgetsClientsThatLeftBeyondItsHistorySoThousandsOfJoinsKeepItsMemoryFlat() throws Exception {
        int joins = 3_000;
        try (WdsFixture f = new WdsFixture(work, 64 << 10, b -> b.rate(64 << 10)
                .clientHistory(100, Duration.ofMinutes(10)))) {
            joinAndLeave(f, joins);
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().isEmpty()
                    && f.server.remembered() <= 100, LONG))
                    .as("remembered %d clients after %d joins", f.server.remembered(), joins).isTrue();
            assertThatUnplugThrownBy(() -> f.server.client(1)).hasKind(ErrorKind.INVALID_ARGUMENT)
                    .messageContains("at most 100 departures");
        }
        try (WdsFixture f = new WdsFixture(Files.createDirectories(work.resolve("aged")), 64 << 10, b -> b.rate(64 << 10)
                .clientHistory(1_000, Duration.ofMillis(1)))) {
            joinAndLeave(f, 50);
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().isEmpty()
                    && f.server.remembered() == 0, LONG)).as("departures older than the history's age").isTrue();
        }
        assertThatUnplugThrownBy(() -> WdsServer.builder().clientHistory(-1, Duration.ofMinutes(1)))
                .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("clientHistory count");
    }

    @Test
    void aKickToAClientThatStoppedReadingReturnsWithinItsLimitAndClosesThatClientsConnection() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 64 << 10, b -> b.rate(64 << 10).startDelay(Duration.ofMinutes(10)));
                Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", f.server.port()));
            s.getOutputStream().write(Wire.frame(Wire.JOIN, o -> {
                o.writeUTF("stuck");
                o.writeUTF(WdsFixture.NS);
                o.writeUTF(WdsFixture.CONTENT);
            }));
            assertThat(ProcessResources.awaitCondition(() -> f.server.clients().size() == 1, LONG)).isTrue();
            Member stuck = (Member) f.server.clients().get(0);
            // a write in flight to a client that reads nothing (as a unicast repair would be): it fills the
            // buffers and blocks, holding the client's stream
            Thread writer = new Thread(() -> {
                try {
                    Wire.send(stuck.out, new byte[64 << 20]);
                } catch (IOException expected) {
                    // released when the kick's limit closes the socket
                }
            }, "stuck-writer");
            writer.setDaemon(true);
            writer.start();
            assertThat(ProcessResources.awaitCondition(() -> writer.getState() == Thread.State.RUNNABLE
                    && Arrays.stream(writer.getStackTrace()).anyMatch(e -> e.getMethodName().contains("write")),
                    LONG)).as("the writer is blocked writing").isTrue();
            Thread.sleep(200); // the buffers are full
            long start = System.nanoTime();
            f.server.disconnect(stuck.id(), dev.unplug.api.session.DisconnectType.ABORT);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("time the kick took").isGreaterThanOrEqualTo(Member.KICK_LIMIT.minusMillis(100))
                    .isLessThan(Member.KICK_LIMIT.plusSeconds(3));
            assertThat(stuck.leftBecause()).contains(dev.unplug.api.session.LeaveReason.ABORTED);
            assertThat(stuck.socket.isClosed()).as("the stuck client's control connection is closed").isTrue();
            writer.join(5_000);
            assertThat(writer.isAlive()).as("the blocked write was released").isFalse();
        }
    }

    /** Joins the fixture's content {@code times} times, each time closing the control connection at once. */
    private static void joinAndLeave(WdsFixture f, int times) throws IOException {
        for (int i = 0; i < times; i++) {
            try (Socket s = new Socket("127.0.0.1", f.server.port())) {
                s.getOutputStream().write(Wire.frame(Wire.JOIN, o -> {
                    o.writeUTF("churn");
                    o.writeUTF(WdsFixture.NS);
                    o.writeUTF(WdsFixture.CONTENT);
                }));
            } // closed at once: the client leaves
        }
    }

    @Test
    void aJoinToAnUnknownContentIsRefusedWithATypedErrorAndLeavesNoFile() throws Exception {
        try (WdsFixture f = new WdsFixture(work, 1024, b -> b)) {
            Path out = Files.createDirectories(work.resolve("out"));
            var c = new WdsProvider().open(URI.create("wds://127.0.0.1:" + f.server.port() + "/images/nope?out="
                    + out), Options.empty());
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("no content nope");
            assertThat(Files.list(out)).isEmpty();
            TransferResult r = c.unwrap(WdsConnection.class).awaitResult(Duration.ofMillis(1));
            assertThat(r.status()).as("ended at once, nothing to wait for").isEqualTo(TransferResult.Status.FAILED);
            assertThat(r.error().orElseThrow().kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
    }

    @Test
    void aServerThatAnswersTheJoinWithGarbageIsAMalformedReplyAndLeavesNoFile() throws Exception {
        for (byte[] answer : new byte[][] {
                "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(),
                Wire.frame(Wire.WELCOME, o -> {
                    o.writeLong(1);
                    o.writeLong(1);
                    o.writeUTF("10.0.0.1");    // not a multicast group
                    o.writeInt(5000);
                    o.writeLong(100);
                    o.writeInt(1400);
                    o.writeUTF("0".repeat(64));
                }),
                Wire.frame(Wire.BYE, o -> { })}) {
            try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Thread t = new Thread(() -> {
                    try (Socket s = fake.accept()) {
                        Wire.read(new DataInputStream(s.getInputStream()));
                        OutputStream out = s.getOutputStream();
                        out.write(answer);
                        out.flush();
                        s.getInputStream().read();
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
                t.start();
                Path out = Files.createDirectories(work.resolve("out"));
                var c = new WdsProvider().open(URI.create("wds://127.0.0.1:" + fake.getLocalPort() + "/ns/c?out="
                        + out + "&connectTimeout=2s"), Options.empty());
                assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.MALFORMED_REPLY);
                assertThat(Files.list(out)).isEmpty();
                t.join(5_000);
            }
        }
    }
}
