package dev.unplug.core;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link ConnectionLifecycleTest}: builds a host with or without the shutdown hook, connects
 * once and exits without disconnecting. Arguments: plugin folder, peer port, {@code true|false} for the hook.
 */
public final class ShutdownHookMain {

    private ShutdownHookMain() {
    }

    public static void main(String[] args) {
        PluginHost host = PluginHost.builder().pluginDirectory(Path.of(args[0]))
                .shutdownHook(Boolean.parseBoolean(args[2])).shutdownDeadline(Duration.ofSeconds(5)).build();
        Connection c = host.open("tcp://127.0.0.1:" + args[1], Options.empty());
        c.connect();
        System.out.println("connected: " + c.state());
        System.exit(0);
    }
}
