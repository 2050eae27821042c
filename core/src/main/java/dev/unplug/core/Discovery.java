package dev.unplug.core;

import dev.unplug.spi.UnplugProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/**
 * Finds providers with {@link ServiceLoader#stream()} on a class loader and in plugin folders (one
 * {@link URLClassLoader} per jar, under a {@link HostApiClassLoader}). Scans only: reads each provider's class and
 * declaration, never constructs one. Each jar and each provider is handled in its own try, so one broken plugin is
 * reported and the scan goes on. Not thread-safe; used once per host, while it is built.
 */
final class Discovery {

    static final String SERVICES = "META-INF/services/" + UnplugProvider.class.getName();
    /** Upper bound on providers per loader, so that a pathological loader cannot loop discovery for ever. */
    private static final int MAX_PROVIDERS = 10_000;

    private final List<PluginEntry> entries = new ArrayList<>();
    private final List<URLClassLoader> loaders = new ArrayList<>();

    List<PluginEntry> entries() {
        return entries;
    }

    /** The plugin jars' class loaders, for the host to close. */
    List<URLClassLoader> loaders() {
        return loaders;
    }

    /** Scans a class loader (the host's class path). */
    void scanClassPath(ClassLoader loader) {
        scan(loader, PluginInfo.CLASS_PATH, true, "class-path");
    }

    /** Scans every {@code *.jar} of a folder, in file name order. */
    void scanDirectory(Path dir, HostApiClassLoader parent) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar") && Files.isRegularFile(f)) {
                    jars.add(f.toAbsolutePath().normalize());
                }
            }
        } catch (IOException | RuntimeException e) {
            String where = dir.toAbsolutePath().normalize().toString();
            entries.add(PluginEntry.failed(String.valueOf(dir.getFileName()), null, where, where, false,
                    "plugin folder " + where + " could not be read: " + Texts.describe(e)));
            return;
        }
        jars.sort(null);
        jars.forEach(jar -> scanJar(jar, parent));
    }

    private void scanJar(Path jar, HostApiClassLoader parent) {
        String source = jar.toString();
        String name = jar.getFileName().toString();
        String problem = checkJar(jar);
        if (problem != null) {
            entries.add(PluginEntry.failed(name, null, source, source, false, problem));
            return;
        }
        URLClassLoader loader;
        try {
            URL url = jar.toUri().toURL();
            loader = new URLClassLoader("unplug-plugin " + name, new URL[] {url}, parent);
        } catch (MalformedURLException | RuntimeException e) {
            entries.add(PluginEntry.failed(name, null, source, source, false,
                    "jar " + source + " could not be opened: " + Texts.describe(e)));
            return;
        }
        loaders.add(loader);
        int before = entries.size();
        scan(loader, source, false, name);
        if (entries.size() == before) {
            entries.add(PluginEntry.failed(name, null, source, source, false, "jar " + source
                    + " lists no loadable provider in " + SERVICES));
        }
    }

    /** Null when the jar can be read and registers providers, else what is wrong with it. */
    private static String checkJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            if (file.getEntry(SERVICES) == null) {
                return "jar " + jar + " has no " + SERVICES + ", so it registers no Unplug provider";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "jar " + jar + " is not a readable jar (corrupt or truncated): " + Texts.describe(e);
        }
    }

    private void scan(ClassLoader loader, String source, boolean classPath, String fallbackId) {
        Iterator<ServiceLoader.Provider<UnplugProvider>> it;
        try {
            it = ServiceLoader.load(UnplugProvider.class, loader).stream().iterator();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            entries.add(PluginEntry.failed(fallbackId, null, source, source, classPath,
                    "providers could not be listed from " + source + ": " + Texts.describe(e)));
            return;
        }
        String lastError = null;
        for (int i = 0; i < MAX_PROVIDERS; i++) {
            ServiceLoader.Provider<UnplugProvider> handle;
            try {
                if (!it.hasNext()) {
                    return;
                }
                handle = it.next();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                String text = Texts.describe(e);
                if (Objects.equals(text, lastError)) {
                    return; // the same failure again: the loader cannot advance past it
                }
                lastError = text;
                String missing = Texts.missingProvider(e);
                entries.add(PluginEntry.failed(missing == null ? fallbackId : missing, missing, source, source,
                        classPath, "provider listed in " + SERVICES + " of " + source + " could not be loaded: "
                        + text));
                continue;
            }
            try {
                entries.add(PluginEntry.declared(handle, source, classPath));
            } catch (RuntimeException | LinkageError e) {
                entries.add(PluginEntry.failed(fallbackId, null, source, source, classPath,
                        "provider from " + source + " could not be read: " + Texts.describe(e)));
            }
        }
    }
}
