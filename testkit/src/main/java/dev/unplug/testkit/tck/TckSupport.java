package dev.unplug.testkit.tck;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.DisconnectOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small helpers of the TCK: URIs, a listener that counts endings, a free port. */
final class TckSupport {

    private TckSupport() {
    }

    /** The URI with another scheme, everything else kept. */
    static URI withScheme(URI uri, String scheme) {
        try {
            return new URI(scheme, uri.getRawUserInfo() == null ? null : uri.getUserInfo(), uri.getHost(),
                    uri.getPort(), uri.getPath(), uri.getQuery(), uri.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot change the scheme of " + uri + " to " + scheme, e);
        }
    }

    /** The URI with the given user info in place of its own. */
    static URI withUserInfo(URI uri, String userInfo) {
        try {
            return new URI(uri.getScheme(), userInfo, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot set the user info of " + uri, e);
        }
    }

    /** A loopback port where nothing listens (bound, then closed). */
    static int unusedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    /** Records every {@code disconnected} call. */
    static final class EndingRecorder implements ConnectionListener {
        final List<DisconnectOutcome> endings = new CopyOnWriteArrayList<>();

        static EndingRecorder on(Connection c) {
            EndingRecorder r = new EndingRecorder();
            c.addListener(r);
            return r;
        }

        @Override
        public void disconnected(Connection connection, DisconnectOutcome outcome) {
            endings.add(outcome);
        }
    }

    /** Runs a body on a daemon thread and keeps what it threw. */
    static final class Worker {
        private final Thread thread;
        private volatile Throwable thrown;
        private volatile boolean returned;

        Worker(String name, org.junit.jupiter.api.function.Executable body) {
            thread = new Thread(() -> {
                try {
                    body.execute();
                    returned = true;
                } catch (Throwable t) {
                    thrown = t;
                }
            }, name);
            thread.setDaemon(true);
        }

        Worker start() {
            thread.start();
            return this;
        }

        boolean join(long millis) throws InterruptedException {
            thread.join(millis);
            return !thread.isAlive();
        }

        Throwable thrown() {
            return thrown;
        }

        boolean returned() {
            return returned;
        }

        Thread thread() {
            return thread;
        }
    }
}
