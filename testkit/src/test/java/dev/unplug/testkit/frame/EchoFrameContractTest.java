package dev.unplug.testkit.frame;

import dev.unplug.api.Connection;
import dev.unplug.spi.SocketConnection.Lines;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.SocketPeer;
import dev.unplug.testkit.tck.TckPeer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/**
 * The whole TCK against the README's binary example plugin, through the TCK's peer control: the peer is a
 * length-framed echo server on loopback (not a line peer), which records each frame it reads (in hex), counts the
 * goodbye frames, and behaves as each check asks.
 */
class EchoFrameContractTest extends ConnectionContractTest {

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return EchoFrameProvider.class;
    }

    @Override
    protected URI uri(int port) {
        return URI.create("echoframe://127.0.0.1:" + port);
    }

    @Override
    protected TckPeer startPeer(PeerBehaviour behaviour) {
        return new FramePeer(behaviour);
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        var c = connection.unwrap(EchoFrameProvider.EchoFrameConnection.class);
        return () -> c.echo(new byte[] {1, 2, 3});
    }

    @Override
    protected boolean defersGoodbyeAnswer() {
        return true; // the socket base splits the goodbye (writes it, reads the answer later)
    }

    /** A framed echo server: 2-byte length, payload; answers {@code BYE} to {@code BYE} and then closes. */
    static final class FramePeer extends SocketPeer {
        private static final String BYE_HEX = Lines.hex(EchoFrameProvider.BYE);

        private final PeerBehaviour behaviour;

        FramePeer(PeerBehaviour behaviour) {
            super("frames");
            this.behaviour = behaviour;
            if (behaviour == PeerBehaviour.SLOW_GOODBYE) {
                delayReplies(Duration.ofMillis(500));
            }
        }

        @Override
        protected void serve(Socket s, List<String> log) throws IOException, InterruptedException {
            if (behaviour == PeerBehaviour.SILENT) {
                s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                return;
            }
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                byte[] frame = new byte[in.readUnsignedShort()];
                in.readFully(frame);
                boolean bye = Arrays.equals(frame, EchoFrameProvider.BYE);
                log.add(Lines.hex(frame));
                if (bye) {
                    sawGoodbye();
                    if (behaviour == PeerBehaviour.RESETS_ON_GOODBYE) {
                        s.setSoLinger(true, 0);
                        return;
                    }
                    if (behaviour == PeerBehaviour.NEVER_ANSWERS_GOODBYE) {
                        continue;
                    }
                }
                if (muted()) {
                    continue;
                }
                pause();
                out.writeShort(frame.length);
                out.write(frame);
                out.flush();
                if (bye) {
                    return; // the server closes after its goodbye
                }
            }
        }

        @Override
        public URI uri() {
            return URI.create("echoframe://127.0.0.1:" + port());
        }

        @Override
        public boolean isGoodbye(String message) {
            return message.equals(BYE_HEX);
        }

        @Override
        public List<String> goodbyeAnswer() {
            return List.of(BYE_HEX);
        }
    }
}
