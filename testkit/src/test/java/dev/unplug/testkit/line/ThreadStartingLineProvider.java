package dev.unplug.testkit.line;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import java.net.URI;
import java.util.Set;

/** A broken provider for the TCK's own tests: its constructor starts a (short-lived) thread. Not registered. */
@UnplugPlugin(id = "line-thready", schemes = "line", apiVersion = ApiVersion.CURRENT)
public final class ThreadStartingLineProvider implements UnplugProvider {

    /** Starts a thread: exactly what a provider must not do. */
    public ThreadStartingLineProvider() {
        Thread t = new Thread(() -> { }, "thready-provider");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public String version() {
        return "0.0.1-test";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    @Override
    public Connection open(URI uri, Options options) {
        return new LineProvider().open(uri, options);
    }

    /** The line plugin declaring only a graceful goodbye (no COMMANDS), for the TCK's applicability. Not registered. */
    @UnplugPlugin(id = "line-quiet", schemes = "line", apiVersion = ApiVersion.CURRENT)
    public static final class Quiet implements UnplugProvider {

        /** Cheap. */
        public Quiet() {
        }

        @Override
        public String version() {
            return "0.0.1-test";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.GRACEFUL_GOODBYE);
        }

        @Override
        public Connection open(URI uri, Options options) {
            return new LineProvider().open(uri, options);
        }
    }
}
