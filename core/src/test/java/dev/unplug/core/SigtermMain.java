package dev.unplug.core;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link ConnectionLifecycleTest}: a host with the shutdown hook and a 1 s shutdown deadline,
 * one connection to a peer that answers the goodbye and one to a peer that never does; says "ready" and waits to be
 * ended by a signal. Arguments: plugin folder, answering peer's port, silent peer's port.
 */
public final class SigtermMain {

    private SigtermMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PluginHost host = PluginHost.builder().pluginDirectory(Path.of(args[0])).shutdownHook(true)
                .shutdownDeadline(Duration.ofSeconds(1)).build();
        host.open("tcp://127.0.0.1:" + args[1], Options.empty()).connect();
        Connection silent = host.open("tcp://127.0.0.1:" + args[2], Options.empty());
        silent.connect();
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000); // SIGTERM ends the wait: the JVM runs its shutdown hooks
        System.out.println("not ended by the signal");
    }
}
