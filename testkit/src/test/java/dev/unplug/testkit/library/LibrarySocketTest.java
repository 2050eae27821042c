package dev.unplug.testkit.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.spi.GoodbyeReply;
import dev.unplug.spi.SocketConnection;
import dev.unplug.spi.TlsSettings;
import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerTls;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketConnection#librarySocket()}, as a protocol library that reads and writes the socket itself uses it
 * (Commons Net under the mail plugins): the reader and writer taken once, before STARTTLS, go on working through TLS.
 */
class LibrarySocketTest {

    private static final LineScript SCRIPT = LineScript.builder("+HELLO")
            .on("PING", "+PONG")
            .startTls(LineScript.command("STARTTLS"), "+OK begin TLS")
            .goodbye("QUIT", "+BYE")
            .build();

    @Test
    void streamsTakenBeforeStartTlsSpeakThroughTlsAfterIt() {
        try (LoopbackPeer peer = LoopbackPeer.scripted(SCRIPT)) {
            LibraryConnection c = new LibraryConnection(URI.create("lib://localhost:" + peer.port()), Options.builder()
                    .set(Options.STARTTLS, true)
                    .set(TlsSettings.TRUST_STORE, PeerTls.trustStore().toString())
                    .set(TlsSettings.TRUST_STORE_PASSWORD, PeerTls.trustStorePassword()).build());
            c.connect();
            assertThat(c.ping()).isEqualTo("+PONG");
            DisconnectOutcome outcome = c.disconnect(Duration.ofSeconds(2));
            assertThat(outcome.kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            // the peer reads PING and QUIT only after its TLS handshake: plain text there would fail the handshake
            assertThat(peer.receivedLines()).containsExactly("STARTTLS", "PING", "QUIT");
            assertThat(c.greeting).isEqualTo("+HELLO");
        }
    }

    @Test
    void connectOnItDoesNothingAndClosingItClosesTheConnectionsSocket() throws Exception {
        try (LoopbackPeer peer = LoopbackPeer.scripted(SCRIPT)) {
            LibraryConnection c = new LibraryConnection(URI.create("lib://127.0.0.1:" + peer.port()), Options.empty());
            c.connect();
            Socket s = c.socket;
            s.connect(peer.address(), 1000); // a library connecting through a socket factory: already connected
            assertThat(s.isConnected()).isTrue();
            assertThat(s.getPort()).isEqualTo(peer.port());
            s.close();
            assertThat(peer.connection(0).awaitClosed(Duration.ofSeconds(2))).isTrue();
            assertThat(s.isClosed()).isTrue();
            c.drop();
        }
    }

    /** Keeps its reader and writer, as Commons Net does; never touches {@code Lines}. */
    private static final class LibraryConnection extends SocketConnection {
        private Socket socket;
        private BufferedReader reader;
        private BufferedWriter writer;
        private String greeting;

        LibraryConnection(URI uri, Options options) {
            super("lib", uri, options, 7, false);
        }

        String ping() {
            return exchange("PING", io -> call("PING"));
        }

        @Override
        protected void greet(Lines io) throws IOException {
            socket = librarySocket();
            reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            writer = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
            greeting = reader.readLine();
        }

        @Override
        protected void startTls(Lines io) throws IOException {
            String go = call("STARTTLS");
            if (!go.startsWith("+OK")) {
                throw new IOException("STARTTLS refused: " + go);
            }
        }

        @Override
        protected GoodbyeReply goodbye(Lines io) throws IOException {
            String answer = call("QUIT");
            return GoodbyeReply.judged(answer.startsWith("+"), answer);
        }

        private String call(String line) throws IOException {
            writer.write(line + "\r\n");
            writer.flush();
            return reader.readLine();
        }
    }
}
