package dev.unplug.testkit.tck;

import dev.unplug.testkit.peer.LineScript;
import dev.unplug.testkit.peer.LoopbackPeer;
import dev.unplug.testkit.peer.PeerConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A running peer of the {@link ConnectionContractTest}: the URI a connection opens to reach it, what the peer saw
 * (connections, messages, goodbyes, the end of a connection), and what the TCK makes it do (stay mute, answer late).
 * This is the TCK's peer control: the testkit's {@link LoopbackPeer} is one implementation ({@link #of}); a plugin
 * whose peer is not a line-protocol socket subclasses this with its real thing and returns it from
 * {@link ConnectionContractTest#startPeer(PeerBehaviour)}.
 *
 * <p>A peer that cannot see the wire (an external server, a local device) returns false from {@link #observes()};
 * the TCK then checks everything it can on the connection's side and skips only the assertions on what the peer
 * saw. A peer that observes must implement {@link #accepted()}, {@link #goodbyes()}, {@link #messages()},
 * {@link #messageLog()}, {@link #isGoodbye(String)} and {@link #awaitClosed(Duration)}. A plugin that declares
 * {@link dev.unplug.spi.Capability#COMMANDS} must also give its peers {@link #mute()} and
 * {@link #delayReplies(Duration)}.
 *
 * <p>Implementations must be thread-safe: the TCK asks from several threads. {@link #close()} never throws.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public abstract class TckPeer implements AutoCloseable {

    private static final long POLL_MILLIS = 5;

    /** For subclasses. */
    protected TckPeer() {
    }

    /**
     * A loopback peer and the URI that reaches it.
     *
     * @param peer the running peer, closed with this
     * @param uri the URI a connection opens, for example {@code peer.uri("smtp")}
     * @return a peer that observes the wire through the loopback peer's record
     */
    public static TckPeer of(LoopbackPeer peer, URI uri) {
        return new Loopback(Objects.requireNonNull(peer, "peer"), Objects.requireNonNull(uri, "uri"));
    }

    /**
     * Any other server and the URI that reaches it: a peer that does not observe the wire.
     *
     * @param uri the URI a connection opens
     * @param server what stops the server (may be {@code () -> {}} when the test stops it itself)
     * @return a peer whose {@link #observes()} is false
     */
    public static TckPeer external(URI uri, AutoCloseable server) {
        return new External(Objects.requireNonNull(uri, "uri"), Objects.requireNonNull(server, "server"));
    }

    /** The URI a connection to this peer opens. */
    public abstract URI uri();

    /** Whether this peer sees the wire: counts connections, messages and goodbyes, and sees a connection end. */
    public boolean observes() {
        return false;
    }

    /** Connections this peer accepted so far (a device: connections opened on it). */
    public int accepted() {
        throw notObserved("accepted");
    }

    /** Goodbyes this peer received so far, over all connections. */
    public int goodbyes() {
        throw notObserved("goodbyes");
    }

    /** Messages (lines, frames, requests) this peer received on the first connection so far. */
    public int messages() {
        return messageLog().size();
    }

    /** The messages received on the first connection, in order, as text (a binary frame: its type or hex). */
    public List<String> messageLog() {
        throw notObserved("messageLog");
    }

    /** Whether a message of {@link #messageLog()} is a goodbye. */
    public boolean isGoodbye(String message) {
        throw notObserved("isGoodbye");
    }

    /**
     * Waits until the first connection's end has been seen by the peer (a close, a reset, a vanished client).
     *
     * @return whether it was seen within the timeout
     */
    public boolean awaitClosed(Duration timeout) {
        throw notObserved("awaitClosed");
    }

    /**
     * What the peer answered the goodbye with: a clean outcome's {@code lastReply} contains at least one of these
     * texts. Empty when the peer cannot say (then the TCK only checks that there is a last reply).
     */
    public List<String> goodbyeAnswer() {
        return List.of();
    }

    /** From now on, answers nothing: an operation blocked on a reply stays blocked. */
    public void mute() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot mute its replies; override mute()"
                + " (needed by a plugin that declares the COMMANDS capability)");
    }

    /** From now on, answers every request that late (the goodbye included). */
    public void delayReplies(Duration delay) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot delay its replies; override"
                + " delayReplies() (needed by a plugin that declares the COMMANDS capability)");
    }

    /** The loopback peer, when this peer is one. */
    public Optional<LoopbackPeer> loopback() {
        return Optional.empty();
    }

    /** Waits until {@link #accepted()} reaches a count. */
    public boolean awaitAccepted(int count, Duration timeout) {
        return await(() -> accepted() >= count, timeout);
    }

    /** Waits until {@link #goodbyes()} reaches a count. */
    public boolean awaitGoodbyes(int count, Duration timeout) {
        return await(() -> goodbyes() >= count, timeout);
    }

    /** Waits until {@link #messages()} reaches a count. */
    public boolean awaitMessages(int count, Duration timeout) {
        return await(() -> messages() >= count, timeout);
    }

    /** Stops the peer; never throws. */
    @Override
    public abstract void close();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + dev.unplug.api.Redaction.text(uri()) + "]";
    }

    /** Polls a condition every few milliseconds until it holds or the timeout passes. */
    protected static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - until >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
    }

    private UnsupportedOperationException notObserved(String what) {
        return new UnsupportedOperationException(this + " does not observe the wire (" + what + "): check observes()");
    }

    /** The testkit's scripted line peer. */
    private static final class Loopback extends TckPeer {
        private final LoopbackPeer peer;
        private final URI uri;

        Loopback(LoopbackPeer peer, URI uri) {
            this.peer = peer;
            this.uri = uri;
        }

        @Override
        public URI uri() {
            return uri;
        }

        @Override
        public boolean observes() {
            return true;
        }

        @Override
        public int accepted() {
            return peer.acceptedCount();
        }

        @Override
        public int goodbyes() {
            return peer.goodbyeCount();
        }

        @Override
        public List<String> messageLog() {
            return peer.acceptedCount() == 0 ? List.of() : first().lines();
        }

        @Override
        public boolean isGoodbye(String message) {
            return peer.script().isGoodbye(message);
        }

        @Override
        public boolean awaitClosed(Duration timeout) {
            return peer.awaitConnections(1, timeout) && first().awaitClosed(timeout);
        }

        @Override
        public List<String> goodbyeAnswer() {
            LineScript script = peer.script();
            return messageLog().stream().filter(script::isGoodbye).findFirst()
                    .map(goodbye -> script.replyTo(goodbye).stream().map(String::strip).filter(s -> !s.isEmpty())
                            .toList()).orElse(List.of());
        }

        @Override
        public void mute() {
            peer.mute();
        }

        @Override
        public void delayReplies(Duration delay) {
            peer.delayReplies(delay);
        }

        @Override
        public boolean awaitAccepted(int count, Duration timeout) {
            return peer.awaitConnections(count, timeout);
        }

        @Override
        public boolean awaitGoodbyes(int count, Duration timeout) {
            return peer.awaitGoodbyes(count, timeout);
        }

        @Override
        public boolean awaitMessages(int count, Duration timeout) {
            return peer.awaitConnections(1, timeout) && first().awaitLines(count, timeout);
        }

        @Override
        public Optional<LoopbackPeer> loopback() {
            return Optional.of(peer);
        }

        @Override
        public void close() {
            peer.close();
        }

        @Override
        public String toString() {
            return "TckPeer[" + dev.unplug.api.Redaction.text(uri) + ", " + peer + "]";
        }

        private PeerConnection first() {
            return peer.connection(0);
        }
    }

    /** A server the TCK cannot look into. */
    private static final class External extends TckPeer {
        private final URI uri;
        private final AutoCloseable server;

        External(URI uri, AutoCloseable server) {
            this.uri = uri;
            this.server = server;
        }

        @Override
        public URI uri() {
            return uri;
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (Exception ignored) {
                // a test server that fails to stop must not hide the test's own result
            }
        }
    }
}
