package dev.unplug.testkit.frame;

import static dev.unplug.testkit.UnplugAssertions.assertThat;
import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.spi.TlsSettings;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.peer.PeerTls;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The binary example plugin on the socket base's framing, against a real binary peer on loopback. */
@ExtendWith(UnplugExtension.class)
class EchoFrameTest {

    /** How the peer answers a frame. */
    enum Mode { ECHO, SILENT, CLAIMS_TOO_MUCH }

    /** A length-framed echo server on loopback: one connection, one thread; counts the goodbyes it read. */
    static final class Peer implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger goodbyes = new AtomicInteger();
        private final Thread thread;

        Peer(Mode mode, boolean tls) throws IOException {
            server = tls ? PeerTls.serverContext().getServerSocketFactory().createServerSocket(0, 5,
                    InetAddress.getLoopbackAddress()) : new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(mode), "echoframe-peer");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Mode mode) {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                while (true) {
                    byte[] frame = new byte[in.readUnsignedShort()];
                    in.readFully(frame);
                    boolean bye = Arrays.equals(frame, EchoFrameProvider.BYE);
                    goodbyes.addAndGet(bye ? 1 : 0);
                    if (mode == Mode.SILENT) {
                        continue;
                    }
                    out.writeShort(mode == Mode.CLAIMS_TOO_MUCH ? 0xFFFF : frame.length);
                    out.write(frame, 0, mode == Mode.CLAIMS_TOO_MUCH ? Math.min(frame.length, 4) : frame.length);
                    out.flush();
                    if (bye) {
                        return; // the server closes after its goodbye
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static EchoFrameProvider.EchoFrameConnection open(ConnectionTracker tracker, String uri, Options o) {
        Connection c = tracker.track(new EchoFrameProvider().open(URI.create(uri), o));
        c.connect();
        return c.unwrap(EchoFrameProvider.EchoFrameConnection.class);
    }

    @Test
    void framesAreEchoedAndTheGoodbyeIsAnsweredCleanWithTheBinaryAnswerShownInHex(ConnectionTracker tracker)
            throws Exception {
        try (Peer peer = new Peer(Mode.ECHO, false)) {
            var c = open(tracker, "echoframe://127.0.0.1:" + peer.port(), Options.empty());
            byte[] payload = new byte[3000];
            new java.util.Random(7).nextBytes(payload);
            assertThat(c.echo(payload)).isEqualTo(payload);
            assertThat(c.echo(new byte[0])).isEmpty();
            assertThat(c.disconnect(Duration.ofSeconds(2))).isClean().hasLastReplyContaining("42 59 45");
            assertThat(peer.goodbyes.get()).isEqualTo(1);
        }
    }

    @Test
    void aLengthTheServerClaimsBeyondTheReplyBudgetIsRefusedBeforeItIsRead(ConnectionTracker tracker) throws Exception {
        try (Peer peer = new Peer(Mode.CLAIMS_TOO_MUCH, false)) {
            var c = open(tracker, "echoframe://127.0.0.1:" + peer.port(), Options.builder()
                    .set(Options.MAX_REPLY_SIZE, "1024").build());
            assertThatUnplugThrownBy(() -> c.echo("hi".getBytes(StandardCharsets.US_ASCII)))
                    .hasKind(ErrorKind.MALFORMED_REPLY).messageContains("claims 65535 bytes")
                    .messageContains("reply budget of 1024 bytes").messageContains("refused before reading them");
            assertThat(c.state()).as("the stream cannot be trusted past a refused frame: the connection ended")
                    .isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(c.outcome()).hasValueSatisfying(o -> assertThat(o.kind())
                    .isEqualTo(dev.unplug.api.DisconnectOutcome.Kind.FAILED));
        }
    }

    @Test
    void aSilentServerEscalatesAtTheDeadlineAndADropWakesABlockedRead(ConnectionTracker tracker) throws Exception {
        try (Peer peer = new Peer(Mode.SILENT, false)) {
            var c = open(tracker, "echoframe://127.0.0.1:" + peer.port(), Options.empty());
            assertThat(c.disconnect(Duration.ofMillis(200))).isEscalated();
            assertThat(peer.goodbyes.get()).isEqualTo(1);
        }
        try (Peer peer = new Peer(Mode.SILENT, false)) {
            var c = open(tracker, "echoframe://127.0.0.1:" + peer.port(), Options.empty());
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    c.echo(new byte[] {1, 2, 3});
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            while (c.state() != ConnectionState.BUSY) {
                Thread.onSpinWait();
            }
            assertThat(c.drop()).isDropped();
            assertThat(blocked.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(dev.unplug.api.UnplugException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION_DROPPED));
        }
    }

    @Test
    void tlsHonoursTheTrustStoreOptionAndRefusesAnUntrustedServer(ConnectionTracker tracker) throws Exception {
        try (Peer peer = new Peer(Mode.ECHO, true)) {
            var c = open(tracker, "echoframes://127.0.0.1:" + peer.port(), Options.builder()
                    .set(TlsSettings.TRUST_STORE, PeerTls.trustStore().toString())
                    .set(TlsSettings.TRUST_STORE_PASSWORD, PeerTls.trustStorePassword()).build());
            assertThat(c.echo(new byte[] {9})).containsExactly(9);
            assertThat(c.disconnect(Duration.ofSeconds(2))).isClean();
        }
        try (Peer peer = new Peer(Mode.ECHO, true)) {
            Connection c = tracker.track(new EchoFrameProvider().open(URI.create("echoframes://127.0.0.1:"
                    + peer.port()), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.SECURE_CONNECT_FAILED);
        }
    }

    @Test
    void framingRefusesBadArgumentsWithTypedErrors(ConnectionTracker tracker) throws Exception {
        try (Peer peer = new Peer(Mode.ECHO, false)) {
            var c = open(tracker, "echoframe://127.0.0.1:" + peer.port(), Options.empty());
            assertThatUnplugThrownBy(() -> c.echo(new byte[70_000])).hasKind(ErrorKind.INVALID_ARGUMENT)
                    .messageContains("does not fit a 2-byte length");
            assertThat(c.echo(new byte[] {5})).as("a refused write sent nothing: the stream is intact")
                    .containsExactly(5);
            assertThat(c.disconnect(Duration.ofSeconds(2))).isClean();
        }
    }
}
