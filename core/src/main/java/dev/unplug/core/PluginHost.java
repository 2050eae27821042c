package dev.unplug.core;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.spi.internal.HostWatch;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apiguardian.api.API;

/**
 * Finds Unplug plugins, opens connections through them by URI scheme, tracks every connection it opens and shuts
 * them all down under one deadline.
 *
 * <h2>Discovery</h2>
 * {@link Builder#build()} scans, with {@link java.util.ServiceLoader#stream()}, an explicit class loader (by default
 * the one that loaded this class, never the thread context class loader) and every {@code *.jar} of the plugin
 * folders, each jar in its own class loader whose parent exposes only the JDK and the host's Unplug API. A plugin is
 * judged from its class and its {@link dev.unplug.spi.UnplugPlugin} declaration alone: no provider is constructed
 * until a URI of one of its schemes is first opened (or {@link #inspectPlugins()} is called). A broken plugin (missing
 * class, corrupt jar, constructor that throws, no declaration, another API major version) is listed as
 * {@link PluginStatus#FAILED} or {@link PluginStatus#INCOMPATIBLE} with the reason in words, and every other plugin
 * keeps working. Duplicate ids and scheme clashes are settled deterministically, never by class-path order: a
 * {@linkplain Builder#prefer(String) preferred} plugin wins, else the class path beats plugin folders, else the
 * smaller jar path wins; the loser is {@link PluginStatus#DUPLICATE} with both locations in its reason.
 *
 * <h2>Lifecycle</h2>
 * The host tracks each connection it opens until it ends, and tells its {@link HostListener}s. {@link #shutdown}
 * disconnects every tracked connection gracefully in parallel (a bounded pool of at most 64 daemon threads made for
 * the shutdown and stopped after it; no thread per connection otherwise) under one overall deadline, drops what is
 * left when it passes and reports each outcome. After a shutdown the host opens no more connections;
 * {@link #close()} also closes the plugin class loaders.
 *
 * <h2>Thread safety and errors</h2>
 * Thread-safe: every method may be called from any thread. Every method raises {@link UnplugException} with an
 * {@link ErrorKind} ({@link ErrorKind#NULL_ARGUMENT}, {@link ErrorKind#INVALID_ARGUMENT},
 * {@link ErrorKind#INVALID_STATE}, {@link ErrorKind#FAILED}, or the plugin's own), never a raw
 * {@code NullPointerException}; messages never show a password.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PluginHost implements AutoCloseable {

    /** The default overall deadline of {@link #close()} and the shutdown hook. */
    public static final Duration DEFAULT_SHUTDOWN_DEADLINE = Duration.ofSeconds(5);

    private final List<PluginEntry> entries;
    private final Map<String, PluginEntry> routes;
    private final List<URLClassLoader> loaders;
    /** The thread publishing the last shutdown's summary line, or null. */
    private volatile Thread summary;
    private final ConnectionTracker tracker = new ConnectionTracker();
    private final Duration shutdownDeadline;
    private final ReentrantLock shutdownLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether a shutdown has run to its end, so that {@link #close()} does not record a second, empty one. */
    private volatile boolean shutDownOnce;
    private final Thread hook;

    private PluginHost(Builder b) {
        long start = System.nanoTime();
        Discovery discovery = new Discovery();
        discovery.scanClassPath(b.classLoader);
        HostApiClassLoader parent = new HostApiClassLoader(UnplugProvider.class.getClassLoader());
        b.directories.forEach(dir -> discovery.scanDirectory(dir, parent));
        this.routes = Resolver.resolve(discovery.entries(), List.copyOf(b.preferred));
        this.entries = discovery.entries().stream()
                .sorted(Comparator.comparing(PluginEntry::id).thenComparing(PluginEntry::source)
                        .thenComparing(PluginEntry::className))
                .toList();
        long discoveryNanos = System.nanoTime() - start;
        entries.forEach(e -> HostObserver.plugin(e, discoveryNanos));
        this.loaders = new ArrayList<>(discovery.loaders());
        this.shutdownDeadline = b.shutdownDeadline;
        if (b.shutdownHook) {
            hook = new Thread(() -> {
                shutdown(shutdownDeadline);
                awaitSummary(); // the JVM is exiting: its summary line must be out first
            }, "unplug-shutdown-hook");
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException e) {
                closeLoaders();
                throw new UnplugException(ErrorKind.INVALID_STATE, "cannot register the plugin host's shutdown hook:"
                        + " the JVM is already shutting down", e);
            }
        } else {
            hook = null;
        }
    }

    /** A builder: class path discovery with this class's loader, no plugin folder, no shutdown hook. */
    public static Builder builder() {
        return new Builder();
    }

    /** A host of the plugins on this class's class path: {@code builder().build()}. */
    public static PluginHost fromClassPath() {
        return builder().build();
    }

    /** Every plugin found, sorted by id then source, without constructing any provider. */
    public List<PluginInfo> plugins() {
        return entries.stream().map(PluginEntry::info).toList();
    }

    /**
     * Constructs every provider not yet constructed, each in isolation, so that versions and capabilities are
     * known and providers whose constructor fails are marked {@link PluginStatus#FAILED}; then lists them.
     */
    public List<PluginInfo> inspectPlugins() {
        if (!closed.get()) {
            entries.forEach(PluginEntry::construct);
        }
        return plugins();
    }

    /** The schemes of the plugins that can be used (not failed, incompatible or duplicate), sorted. */
    public Set<String> schemes() {
        Set<String> s = new TreeSet<>();
        routes.forEach((scheme, e) -> {
            if (e.isUsable()) {
                s.add(scheme);
            }
        });
        return Collections.unmodifiableSet(s);
    }

    /** Opens a connection with no options: {@code open(uri, Options.empty())}. */
    public Connection open(URI uri) {
        return open(uri, Options.empty());
    }

    /**
     * Opens an unconnected connection through the plugin of the URI's scheme (constructing its provider on first
     * use) and tracks it until it ends.
     *
     * @param uri the target, such as {@code smtp://alice:secret@mail.example:25}
     * @param options settings that override the URI's query parameters
     * @return a connection in state {@code NOT_INITIALISED}
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls; {@link ErrorKind#INVALID_ARGUMENT} for a
     *         URI without a scheme or with a scheme no plugin serves (the message lists the known ones);
     *         {@link ErrorKind#FAILED} naming the plugin and the reason when the scheme's plugin failed or is
     *         incompatible; {@link ErrorKind#INVALID_STATE} after {@link #shutdown} or {@link #close()}; or the
     *         plugin's own error for a URI it cannot serve
     */
    public Connection open(URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        refuseWhenShutDown();
        String shown = Texts.shown(uri);
        if (uri.getScheme() == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "URI '" + shown + "' has no scheme; known schemes: "
                    + schemes());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        PluginEntry entry = routes.get(scheme);
        if (entry == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "no plugin serves scheme '" + scheme + "' of '"
                    + shown + "'; known schemes: " + schemes());
        }
        UnplugProvider provider = entry.provider();
        Connection c;
        try {
            c = provider.open(uri, options);
        } catch (UnplugException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new UnplugException(ErrorKind.FAILED, "plugin '" + entry.id() + "' failed to open '" + shown + "': "
                    + Texts.describe(e), e);
        }
        if (c == null) {
            throw new UnplugException(ErrorKind.UNEXPECTED, "plugin '" + entry.id() + "' returned no connection for '"
                    + shown + "'");
        }
        try {
            tracker.track(c);
        } catch (UnplugException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            c.close();
            throw new UnplugException(ErrorKind.FAILED, "plugin '" + entry.id() + "' connection for '" + shown
                    + "' refused a listener: " + Texts.describe(e), e);
        }
        HostWatch.opened(c);
        return c;
    }

    /**
     * Parses the URI text, then {@link #open(URI, Options)}.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for malformed text (the message shows it with
     *         any password masked), and as {@link #open(URI, Options)}
     */
    public Connection open(String uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        URI parsed;
        try {
            parsed = new URI(uri.strip());
        } catch (URISyntaxException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "malformed URI '" + Texts.redact(uri) + "': "
                    + e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        return open(parsed, options);
    }

    /**
     * A plugin-wide extension of the plugin serving a scheme, such as the wds plugin's server factory
     * ({@code host.extension("wds", TransportServer.Factory.class)}): what an application uses beyond connections,
     * through an api type, so that it works with a plugin loaded from a plugins folder as from the class path.
     *
     * @param scheme a scheme the plugin serves, such as {@code "wds"}
     * @param type the api type of the extension
     * @param <T> the type
     * @return the extension
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls; {@link ErrorKind#INVALID_ARGUMENT} for a
     *         scheme no plugin serves; {@link ErrorKind#NOT_SUPPORTED} when the plugin offers no extension of that
     *         type; {@link ErrorKind#FAILED} when the plugin failed to load or failed to answer;
     *         {@link ErrorKind#INVALID_STATE} after {@link #shutdown} or {@link #close()}
     */
    public <T> T extension(String scheme, Class<T> type) {
        UnplugException.requireNonNull(scheme, "scheme");
        UnplugException.requireNonNull(type, "type");
        refuseWhenShutDown();
        PluginEntry entry = routes.get(scheme.toLowerCase(Locale.ROOT));
        if (entry == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "no plugin serves scheme '" + scheme
                    + "'; known schemes: " + schemes());
        }
        Object found;
        try {
            found = entry.provider().extension(type);
        } catch (UnplugException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new UnplugException(ErrorKind.FAILED, "plugin '" + entry.id() + "' failed to give its "
                    + type.getName() + ": " + Texts.describe(e), e);
        }
        if (!type.isInstance(found)) {
            throw new UnplugException(ErrorKind.NOT_SUPPORTED, "plugin '" + entry.id() + "' offers no " + type.getName()
                    + (found == null ? "" : " (it answered with a " + found.getClass().getName() + ")"));
        }
        return type.cast(found);
    }

    /** Adopts a client with no options: {@code adopt(client, Options.empty())}. */
    public Connection adopt(Object client) {
        return adopt(client, Options.empty());
    }

    /**
     * Adopts a client the application already holds, such as an open pgjdbc {@code java.sql.Connection}: the first
     * plugin that knows the object returns it as a connected {@link Connection} under the contract, which this host
     * tracks and ends on {@link #shutdown}. Where the plugin does not own the client's socket, outcomes say what was
     * and was not observed.
     *
     * @param client what the application holds
     * @param options settings for the adopted connection
     * @return the adopted connection, connected
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls; {@link ErrorKind#NOT_SUPPORTED} naming the
     *         client's type when no plugin adopts it; the plugin's typed error when it knows the object but cannot
     *         adopt it (closed, say); {@link ErrorKind#INVALID_STATE} after {@link #shutdown} or {@link #close()}
     */
    public Connection adopt(Object client, Options options) {
        UnplugException.requireNonNull(client, "client");
        UnplugException.requireNonNull(options, "options");
        refuseWhenShutDown();
        for (PluginEntry entry : new java.util.LinkedHashSet<>(routes.values())) {
            UnplugProvider provider;
            try {
                provider = entry.provider();
            } catch (UnplugException failedToLoad) {
                continue; // a plugin that failed to load adopts nothing (its failure was logged when it did)
            }
            Connection c;
            try {
                c = provider.adopt(client, options);
            } catch (UnplugException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                throw new UnplugException(ErrorKind.FAILED, "plugin '" + entry.id() + "' failed to adopt a "
                        + client.getClass().getName() + ": " + Texts.describe(e), e);
            }
            if (c != null) {
                tracker.track(c);
                HostWatch.opened(c);
                return c;
            }
        }
        throw new UnplugException(ErrorKind.NOT_SUPPORTED, "no plugin adopts a " + client.getClass().getName()
                + " (plugins: " + routes.values().stream().map(PluginEntry::id).distinct().sorted().toList() + ")");
    }

    /** The connections this host opened that have not ended yet, oldest first. */
    public List<Connection> openConnections() {
        return tracker.snapshot();
    }

    /**
     * Ends every tracked connection: all gracefully, each under what is left of the one overall deadline, without
     * letting a silent server hold back one that answers (every goodbye is sent first, each answer is read as it
     * arrives, on at most 64 worker threads); at the deadline everything not yet ended is dropped, the drops
     * starting early enough to end by it. Afterwards the host opens no more
     * connections (a later shutdown reports what was opened before and is still open, normally nothing).
     * Returns shortly after the deadline at the latest.
     *
     * @param deadline the most the whole shutdown may take; positive, at most {@link Options#MAX_DURATION}
     * @return how each connection ended
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} or {@link ErrorKind#INVALID_ARGUMENT} for a null,
     *         non-positive or too long deadline, before anything changes
     */
    public ShutdownReport shutdown(Duration deadline) {
        Options.requireDuration("shutdown deadline", deadline);
        long start = System.nanoTime();
        if (tracker.refusal() == null) {
            tracker.refuse("this plugin host has been shut down; build a new one to open connections");
        }
        boolean locked = false;
        try {
            locked = shutdownLock.tryLock(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            List<Connection> open = tracker.snapshot();
            Duration left = deadline.minusNanos(System.nanoTime() - start);
            try {
                ShutdownReport report = Shutdown.run(open, left.isNegative() || left.isZero() ? Duration.ofNanos(1)
                        : left);
                summary = HostObserver.shutdown(report);
                tracker.shutdown(report);
                shutDownOnce = true;
                return report;
            } catch (RuntimeException | Error e) {
                // a shutdown that fails (out of memory, a broken plugin) still ends every connection it tracks
                for (Connection c : open) {
                    try {
                        if (c.outcome().isEmpty()) {
                            c.drop();
                        }
                    } catch (RuntimeException | LinkageError ignored) {
                        // nothing more can be done for this one
                    }
                }
                throw e;
            }
        } finally {
            if (locked) {
                shutdownLock.unlock();
            }
        }
    }

    /**
     * Adds a listener for the connections this host opens from now on; adding one twice has no effect.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null
     */
    public void addListener(HostListener listener) {
        tracker.addListener(UnplugException.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener; removing an unknown one has no effect.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} when null
     */
    public void removeListener(HostListener listener) {
        tracker.removeListener(UnplugException.requireNonNull(listener, "listener"));
    }

    /**
     * Shuts down with the builder's deadline (default 5 s), removes the shutdown hook, forgets every provider
     * and closes the plugin class loaders. Idempotent; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            // after a shutdown, close ends only what is still open: no second, empty shutdown is recorded
            if (!shutDownOnce || !tracker.snapshot().isEmpty()) {
                shutdown(shutdownDeadline);
            }
        } catch (RuntimeException | LinkageError ignored) {
            // close never throws
        }
        tracker.refuse("this plugin host is closed; build a new one to open connections");
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
        entries.forEach(PluginEntry::release);
        closeLoaders();
        awaitSummary();
    }

    /** Waits, at most a second, for the last shutdown's summary line to be published. */
    private void awaitSummary() {
        Thread t = summary;
        if (t != null) {
            try {
                t.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeLoaders() {
        synchronized (loaders) {
            for (URLClassLoader l : loaders) {
                try {
                    l.close();
                } catch (IOException | RuntimeException ignored) {
                    // nothing more can be done; the loader is unreachable from here on
                }
            }
            loaders.clear();
        }
    }

    private void refuseWhenShutDown() {
        String refused = tracker.refusal();
        if (refused != null) {
            throw new UnplugException(ErrorKind.INVALID_STATE, refused);
        }
    }

    /** What the host found, one plugin a line, for logs. */
    @Override
    public String toString() {
        return "PluginHost" + plugins();
    }

    /**
     * Configures and builds a {@link PluginHost}. Not thread-safe; every method checks its argument at once and
     * raises {@link UnplugException} ({@link ErrorKind#NULL_ARGUMENT}, {@link ErrorKind#INVALID_ARGUMENT}).
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public static final class Builder {

        private ClassLoader classLoader = PluginHost.class.getClassLoader();
        private final Set<Path> directories = new LinkedHashSet<>();
        private final Set<String> preferred = new LinkedHashSet<>();
        private boolean shutdownHook;
        private Duration shutdownDeadline = DEFAULT_SHUTDOWN_DEADLINE;

        private Builder() {
        }

        /**
         * The class loader whose class path is scanned; by default the one that loaded {@code PluginHost}
         * (never the thread context class loader implicitly).
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = UnplugException.requireNonNull(loader, "class loader");
            return this;
        }

        /**
         * Adds a plugin folder: each {@code *.jar} in it (not in sub-folders) gets its own class loader whose
         * parent exposes only the JDK and the host's Unplug API. Repeatable.
         *
         * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} when the folder does not exist or is not a
         *         folder
         */
        public Builder pluginDirectory(Path dir) {
            UnplugException.requireNonNull(dir, "plugin directory");
            Path abs;
            try {
                abs = dir.toAbsolutePath().normalize();
            } catch (RuntimeException e) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "plugin directory " + dir + " is not usable: "
                        + Texts.describe(e));
            }
            if (!Files.isDirectory(abs)) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "plugin directory " + abs
                        + " does not exist or is not a directory");
            }
            directories.add(abs);
            return this;
        }

        /**
         * Settles duplicate ids and scheme clashes in favour of a plugin, named by its id (wins scheme clashes), or
         * by its source: {@value PluginInfo#CLASS_PATH}, a jar's absolute path or a jar's file name (wins duplicate
         * ids). Repeatable; earlier preferences win over later ones.
         *
         * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} when blank
         */
        public Builder prefer(String plugin) {
            UnplugException.requireNonNull(plugin, "preferred plugin");
            if (plugin.isBlank()) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "preferred plugin must not be blank");
            }
            preferred.add(plugin.strip());
            return this;
        }

        /** Whether to register a JVM shutdown hook that calls {@code shutdown(shutdownDeadline)}; off by default. */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * The deadline of {@link PluginHost#close()} and the shutdown hook; default 5 s.
         *
         * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} when not positive
         */
        public Builder shutdownDeadline(Duration deadline) {
            this.shutdownDeadline = Options.requireDuration("shutdown deadline", deadline);
            return this;
        }

        /**
         * Scans the class path and the plugin folders (no provider is constructed) and returns the host. A broken
         * plugin never fails the build: it is listed with its status and reason.
         *
         * @throws UnplugException {@link ErrorKind#INVALID_STATE} when a shutdown hook was asked for while the JVM
         *         is already shutting down
         */
        public PluginHost build() {
            return new PluginHost(this);
        }
    }
}
