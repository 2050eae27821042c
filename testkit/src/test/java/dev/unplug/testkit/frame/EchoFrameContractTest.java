package dev.unplug.testkit.frame;

import dev.unplug.api.Connection;
import dev.unplug.spi.SocketConnection.Lines;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.TckPeer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
    static final class FramePeer extends TckPeer {
        private static final String BYE_HEX = Lines.hex(EchoFrameProvider.BYE);

        private final PeerBehaviour behaviour;
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<List<String>> frames = new CopyOnWriteArrayList<>();
        private final List<Boolean> ended = new CopyOnWriteArrayList<>();
        private final AtomicInteger goodbyes = new AtomicInteger();
        private volatile boolean muted;
        private volatile long delayMillis;

        FramePeer(PeerBehaviour behaviour) {
            this.behaviour = behaviour;
            this.delayMillis = behaviour == PeerBehaviour.SLOW_GOODBYE ? 500 : 0;
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread t = new Thread(this::accept, "unplug-peer-frames-" + server.getLocalPort());
            t.setDaemon(true);
            t.start();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    int index;
                    synchronized (frames) {
                        index = frames.size();
                        frames.add(new CopyOnWriteArrayList<>());
                        ended.add(false);
                    }
                    sockets.add(s);
                    Thread t = new Thread(() -> serve(s, index), "unplug-peer-frames-conn-" + index);
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s, int index) {
            try (s) {
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
                    frames.get(index).add(Lines.hex(frame));
                    if (bye) {
                        goodbyes.incrementAndGet();
                        if (behaviour == PeerBehaviour.RESETS_ON_GOODBYE) {
                            s.setSoLinger(true, 0);
                            return;
                        }
                        if (behaviour == PeerBehaviour.NEVER_ANSWERS_GOODBYE) {
                            continue;
                        }
                    }
                    if (muted) {
                        continue;
                    }
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis);
                    }
                    out.writeShort(frame.length);
                    out.write(frame);
                    out.flush();
                    if (bye) {
                        return; // the server closes after its goodbye
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away, or the peer is closing
            } finally {
                ended.set(index, true);
            }
        }

        @Override
        public URI uri() {
            return URI.create("echoframe://127.0.0.1:" + server.getLocalPort());
        }

        @Override
        public boolean observes() {
            return true;
        }

        @Override
        public int accepted() {
            return frames.size();
        }

        @Override
        public int goodbyes() {
            return goodbyes.get();
        }

        @Override
        public List<String> messageLog() {
            return frames.isEmpty() ? List.of() : new ArrayList<>(frames.get(0));
        }

        @Override
        public boolean isGoodbye(String message) {
            return message.equals(BYE_HEX);
        }

        @Override
        public boolean awaitClosed(Duration timeout) {
            return await(() -> !ended.isEmpty() && ended.get(0), timeout);
        }

        @Override
        public List<String> goodbyeAnswer() {
            return List.of(BYE_HEX);
        }

        @Override
        public void mute() {
            muted = true;
        }

        @Override
        public void delayReplies(Duration delay) {
            delayMillis = delay.toMillis();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket s : sockets) {
                    s.close();
                }
            } catch (IOException ignored) {
                // closing a test peer
            }
        }
    }
}
