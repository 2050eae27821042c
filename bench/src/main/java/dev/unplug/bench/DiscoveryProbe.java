package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.core.PluginHost;
import dev.unplug.core.PluginInfo;
import dev.unplug.core.PluginStatus;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.stream.Collectors;

/**
 * One cold measure of the discovery figure, in a JVM of its own: builds a plugin host and opens a {@code pop3} URI
 * (not connecting), with every plugin of the bench jar present ({@code all}) or none ({@code none}: the same jar,
 * seen through a class loader that hides {@code META-INF/services}, so the open fails as an unknown scheme). Prints
 * {@code PROBE <plugins> <buildNanos> <openNanos> <activeBeforeOpen> <activeAfterOpen>}.
 */
public final class DiscoveryProbe {

    private DiscoveryProbe() {
    }

    /** Hides every service declaration: the same JVM and class path with no plugin. */
    private static final class NoPlugins extends ClassLoader {
        NoPlugins(ClassLoader parent) {
            super("no-plugins", parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration() : super.getResources(name);
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith("META-INF/services/") ? null : super.getResource(name);
        }
    }

    /**
     * Measures once.
     *
     * @param args {@code all} or {@code none}
     */
    public static void main(String[] args) {
        // JDK logging is initialised before the clock starts, in both modes, as in any application that logs: its
        // one-time start (LogManager, the console handler's format check, locale data; about 20 ms here) is paid by
        // whoever logs first, and the host's first DEBUG check would otherwise charge it to the plugins
        System.getLogger("dev.unplug.bench").isLoggable(System.Logger.Level.DEBUG);
        long t0 = System.nanoTime();
        boolean none = args.length > 0 && "none".equals(args[0]);
        ClassLoader own = DiscoveryProbe.class.getClassLoader();
        PluginHost host = PluginHost.builder().classLoader(none ? new NoPlugins(own) : own).build();
        long built = System.nanoTime();
        String before = active(host);
        try {
            Connection c = host.open("pop3://127.0.0.1:1", Options.empty());
            c.close();
        } catch (UnplugException e) {
            if (!none) {
                throw e;
            }
        }
        long opened = System.nanoTime();
        System.out.println("PROBE " + host.plugins().size() + " " + (built - t0) + " " + (opened - built) + " "
                + before + " " + active(host));
        host.close();
    }

    private static String active(PluginHost host) {
        String ids = host.plugins().stream().filter(p -> p.status() == PluginStatus.ACTIVE).map(PluginInfo::id)
                .collect(Collectors.joining(","));
        return ids.isEmpty() ? "-" : ids;
    }
}
