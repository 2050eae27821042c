package dev.unplug.core;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The parent of every plugin jar's class loader: it exposes the JDK (through the platform class loader) and the
 * host's own Unplug API classes ({@code dev.unplug.api*}, {@code dev.unplug.spi*}), and nothing else of the
 * host's class path. So a plugin that bundles a copy of the API still links against the host's classes (no
 * "loader constraint" or {@code ClassCastException}), and plugins never see the application's libraries.
 * Thread-safe (parallel capable).
 */
final class HostApiClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;

    /** @param host the loader that defined the host's {@code dev.unplug.spi.UnplugProvider} */
    HostApiClassLoader(ClassLoader host) {
        super("unplug-host-api", ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    static boolean isApi(String binaryName) {
        return binaryName.startsWith("dev.unplug.api.") || binaryName.startsWith("dev.unplug.spi.");
    }

    private static boolean isApiResource(String path) {
        return path.startsWith("dev/unplug/api/") || path.startsWith("dev/unplug/spi/");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isApi(name)) {
            return Class.forName(name, false, host);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return isApiResource(name) ? host.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return isApiResource(name) ? host.getResources(name) : super.getResources(name);
    }

    @Override
    protected URL findResource(String name) {
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        return Collections.emptyEnumeration();
    }
}
