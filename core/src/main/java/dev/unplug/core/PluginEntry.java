package dev.unplug.core;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import java.lang.annotation.AnnotationFormatError;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * One plugin found by discovery: what its declaration says, where it came from, and its provider, constructed
 * on first use. Every step that runs plugin code is isolated: a failure marks this entry {@link PluginStatus#FAILED}
 * with the reason and touches nothing else. Thread-safe (synchronized).
 */
final class PluginEntry {


    private final String id;
    private final Set<String> schemes;
    private final String apiVersion;
    private final String className;
    private final String source;
    private final String location;
    private final boolean classPath;

    private ServiceLoader.Provider<UnplugProvider> handle;
    private UnplugProvider provider;
    private PluginStatus status;
    private String reason;
    private String version;
    private Set<Capability> capabilities = Set.of();

    private PluginEntry(String id, Set<String> schemes, String apiVersion, String className, String source,
            String location, boolean classPath, ServiceLoader.Provider<UnplugProvider> handle, PluginStatus status,
            String reason) {
        this.id = id;
        this.schemes = schemes;
        this.apiVersion = apiVersion;
        this.className = className;
        this.source = source;
        this.location = location;
        this.classPath = classPath;
        this.handle = handle;
        this.status = status;
        this.reason = reason;
    }

    /**
     * An entry for a provider class that loaded, judged from its {@link UnplugPlugin} declaration alone
     * (no constructor runs).
     */
    static PluginEntry declared(ServiceLoader.Provider<UnplugProvider> handle, String source, boolean classPath) {
        Class<? extends UnplugProvider> type = handle.type();
        String className = type.getName();
        String location = classPath ? classPathLocation(type) : source;
        ClassFileDeclaration.Declaration d = ClassFileDeclaration.read(type);
        if (d == null) {
            try {
                UnplugPlugin a = UnplugProvider.declaration(type);
                d = new ClassFileDeclaration.Declaration(a.id(), java.util.Arrays.asList(a.schemes()), a.apiVersion());
            } catch (UnplugException | TypeNotPresentException | AnnotationFormatError e) {
                return failed(className, className, source, location, classPath, Texts.describe(e));
            }
        }
        String id = d.id() == null ? "" : d.id();
        Set<String> schemes = new LinkedHashSet<>();
        for (String s : d.schemes()) {
            schemes.add(s == null ? "" : s.toLowerCase(Locale.ROOT));
        }
        String problem = null;
        if (!isId(id)) {
            problem = "provider " + className + " declares id '" + id + "'; an id is lower case letters, digits,"
                    + " '-' and '.'";
        } else if (schemes.isEmpty()) {
            problem = "provider " + className + " declares no URI scheme";
        } else if (!allSchemes(schemes)) {
            problem = "provider " + className + " declares an invalid URI scheme among " + schemes;
        }
        String shownId = problem == null ? id : className;
        if (problem != null) {
            return new PluginEntry(shownId, Set.copyOf(schemes), d.apiVersion(), className, source, location,
                    classPath, null, PluginStatus.FAILED, problem);
        }
        if (!ApiVersion.isCompatible(d.apiVersion())) {
            return new PluginEntry(id, Set.copyOf(schemes), d.apiVersion(), className, source, location, classPath,
                    null, PluginStatus.INCOMPATIBLE, "plugin '" + id + "' (" + className + ") was built for Unplug"
                    + " api " + d.apiVersion() + " but this host runs api " + ApiVersion.CURRENT
                    + "; only the same major version can be loaded");
        }
        return new PluginEntry(id, Set.copyOf(schemes), d.apiVersion(), className, source, location, classPath,
                handle, PluginStatus.READY, null);
    }

    /** An entry for something that could not even be read: a missing class, a corrupt jar. */
    static PluginEntry failed(String id, String className, String source, String location, boolean classPath,
            String reason) {
        return new PluginEntry(id, Set.of(), null, className, source, location, classPath, null,
                PluginStatus.FAILED, reason);
    }

    /**
     * The provider, constructed on the first call.
     *
     * @throws UnplugException {@link ErrorKind#FAILED} naming the plugin and the reason when it cannot be used
     */
    synchronized UnplugProvider provider() {
        construct();
        if (provider == null) {
            throw new UnplugException(ErrorKind.FAILED, "plugin '" + id + "' from " + source + " cannot be used ("
                    + status.name().toLowerCase(Locale.ROOT) + "): " + reason);
        }
        return provider;
    }

    /** Constructs the provider if it is {@link PluginStatus#READY}; afterwards it is ACTIVE or FAILED. */
    synchronized void construct() {
        if (status != PluginStatus.READY || handle == null) {
            return;
        }
        long start = System.nanoTime();
        try {
            constructNow();
        } finally {
            HostObserver.plugin(this, System.nanoTime() - start);
        }
    }

    private void constructNow() {
        try {
            UnplugProvider p = handle.get();
            // the default id() reads the annotation reflectively (a proxy class on its first use in a JVM, several
            // milliseconds of a cold first open) to return what discovery already read: ask only an override
            String actualId = overridesId(p) ? p.id() : id;
            if (!id.equals(actualId)) {
                fail("provider " + className + " declares id '" + id + "' but its id() returns '" + actualId + "'");
                return;
            }
            version = p.version();
            Set<Capability> caps = p.capabilities();
            capabilities = caps == null ? Set.of() : Set.copyOf(caps);
            provider = p;
            status = PluginStatus.ACTIVE;
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            fail("constructing provider " + className + " failed: " + Texts.describe(e));
        }
    }

    // plain loops rather than regular expressions and streams: discovery runs in a cold JVM, where loading the
    // regex engine and spinning lambda classes for it measured a few milliseconds of a host's start (bench figure
    // "discovery")

    /** {@code [a-z0-9][a-z0-9.-]*} */
    static boolean isId(String id) {
        if (id.isEmpty() || !lowerOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!lowerOrDigit(c) && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Each is {@code [a-z][a-z0-9+.-]*}. */
    static boolean allSchemes(Set<String> schemes) {
        for (String s : schemes) {
            if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
                return false;
            }
            for (int i = 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!lowerOrDigit(c) && c != '+' && c != '.' && c != '-') {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean lowerOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    private static boolean overridesId(UnplugProvider p) {
        try {
            return p.getClass().getMethod("id").getDeclaringClass() != UnplugProvider.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return true;
        }
    }

    private void fail(String why) {
        status = PluginStatus.FAILED;
        reason = why;
        provider = null;
        handle = null;
        capabilities = Set.of();
    }

    synchronized void markDuplicate(String why) {
        status = PluginStatus.DUPLICATE;
        reason = why;
        handle = null;
    }

    /** Forgets the provider and its class, so that a closed plugin class loader can be collected. */
    synchronized void release() {
        handle = null;
        provider = null;
    }

    synchronized PluginStatus status() {
        return status;
    }

    synchronized boolean isUsable() {
        return status == PluginStatus.READY || status == PluginStatus.ACTIVE;
    }

    synchronized PluginInfo info() {
        return new PluginInfo(id, version, schemes, capabilities, apiVersion, className, source, status, reason);
    }

    String id() {
        return id;
    }

    Set<String> schemes() {
        return schemes;
    }

    String className() {
        return className == null ? "" : className;
    }

    /** Why it cannot be used, or null. */
    synchronized String reason() {
        return reason;
    }

    String source() {
        return source;
    }

    /** The jar path (or class path entry) used to order duplicates and named in their reasons. */
    String location() {
        return location;
    }

    boolean fromClassPath() {
        return classPath;
    }

    /** Where it is, in words, for reasons: the jar path, or the class path entry. */
    String where() {
        return classPath && !location.equals(PluginInfo.CLASS_PATH) ? "the class path (" + location + ")"
                : location.equals(PluginInfo.CLASS_PATH) ? "the class path" : location;
    }

    private static String classPathLocation(Class<?> type) {
        try {
            URL url = type.getProtectionDomain().getCodeSource().getLocation();
            return "file".equals(url.getProtocol()) ? Path.of(url.toURI()).toString() : url.toString();
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return PluginInfo.CLASS_PATH;
        }
    }
}
