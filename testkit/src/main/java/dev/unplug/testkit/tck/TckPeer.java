package dev.unplug.testkit.tck;

import dev.unplug.testkit.peer.LoopbackPeer;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A server the {@link ConnectionContractTest} talks to: the URI to open, and what to close afterwards. Either a
 * {@link LoopbackPeer} (then the TCK also asserts on what it received) or any other server, such as an in-JVM
 * GreenMail, that the plugin's test started.
 *
 * <p>Thread-safe when the server is. {@link #close()} never throws.
 *
 * @since 0.1
 */
public final class TckPeer implements AutoCloseable {

    private final URI uri;
    private final LoopbackPeer loopback;
    private final AutoCloseable server;

    private TckPeer(URI uri, LoopbackPeer loopback, AutoCloseable server) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.loopback = loopback;
        this.server = server;
    }

    /**
     * A loopback peer and the URI that reaches it.
     *
     * @param peer the running peer, closed with this
     * @param uri the URI a connection opens, for example {@code peer.uri("smtp")}
     */
    public static TckPeer of(LoopbackPeer peer, URI uri) {
        return new TckPeer(uri, Objects.requireNonNull(peer, "peer"), peer);
    }

    /**
     * Any other server and the URI that reaches it.
     *
     * @param uri the URI a connection opens
     * @param server what stops the server (may be {@code () -> {}} when the test stops it itself)
     */
    public static TckPeer external(URI uri, AutoCloseable server) {
        return new TckPeer(uri, null, Objects.requireNonNull(server, "server"));
    }

    /** The URI a connection to this server opens. */
    public URI uri() {
        return uri;
    }

    /** The loopback peer, when this server is one. */
    public Optional<LoopbackPeer> loopback() {
        return Optional.ofNullable(loopback);
    }

    /** Stops the server. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception ignored) {
            // a test server that fails to stop must not hide the test's own result
        }
    }

    @Override
    public String toString() {
        return "TckPeer[" + dev.unplug.api.Redaction.text(uri) + (loopback == null ? "" : ", " + loopback) + "]";
    }
}
