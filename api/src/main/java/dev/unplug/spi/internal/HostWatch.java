package dev.unplug.spi.internal;

import dev.unplug.api.Connection;
import dev.unplug.api.UnplugException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * A JVM-wide hook that hears of every connection any plugin host opens or adopts: how the testkit's JUnit extension
 * sees connections a test made through a host without being told of them. Internal: for Unplug's own modules, may
 * change in any release; applications listen to a host with its own listeners instead.
 *
 * <p>Costs one volatile read per connection opened while nothing watches. A watcher runs on the opening thread, must
 * be short and non-blocking; what it throws is ignored. Thread-safe.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HostWatch {

    private static final List<Consumer<Connection>> WATCHERS = new CopyOnWriteArrayList<>();

    private HostWatch() {
    }

    /**
     * Starts watching; the watcher hears of every connection opened or adopted by any host from now on.
     *
     * @param watcher called with each new connection
     * @return closing it stops the watching
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} when null
     */
    public static AutoCloseable watch(Consumer<Connection> watcher) {
        WATCHERS.add(UnplugException.requireNonNull(watcher, "watcher"));
        return () -> WATCHERS.remove(watcher);
    }

    /**
     * Called by a plugin host for each connection it opened or adopted, after it tracks it.
     *
     * @param connection the new connection
     */
    public static void opened(Connection connection) {
        if (WATCHERS.isEmpty()) {
            return;
        }
        for (Consumer<Connection> w : WATCHERS) {
            try {
                w.accept(connection);
            } catch (RuntimeException ignored) {
                // a watcher can never break a host
            }
        }
    }
}
