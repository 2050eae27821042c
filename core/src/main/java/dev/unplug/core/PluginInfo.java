package dev.unplug.core;

import dev.unplug.spi.Capability;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * What a {@link PluginHost} knows about one plugin: its id, version, schemes, capabilities, the API version it
 * was built for, where it came from and whether it can be used (with the reason in words when it cannot).
 *
 * <p>A snapshot: immutable and thread-safe. {@link #version()} and {@link #capabilities()} are known only once
 * the provider has been constructed ({@link PluginStatus#ACTIVE}); ask {@link PluginHost#inspectPlugins()} to
 * fill them in.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PluginInfo {

    /** The {@link #source()} of plugins found on the host's class path. */
    public static final String CLASS_PATH = "class path";

    private final String id;
    private final String version;
    private final Set<String> schemes;
    private final Set<Capability> capabilities;
    private final String apiVersion;
    private final String className;
    private final String source;
    private final PluginStatus status;
    private final String reason;

    PluginInfo(String id, String version, Set<String> schemes, Set<Capability> capabilities, String apiVersion,
            String className, String source, PluginStatus status, String reason) {
        this.id = Objects.requireNonNull(id);
        this.version = version;
        this.schemes = Collections.unmodifiableSet(new TreeSet<>(schemes));
        this.capabilities = Collections.unmodifiableSet(
                capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities));
        this.apiVersion = apiVersion;
        this.className = className;
        this.source = Objects.requireNonNull(source);
        this.status = Objects.requireNonNull(status);
        this.reason = reason;
    }

    /** The plugin id, such as {@code "smtp"}; for a plugin that could not be read, its class or jar name. */
    public String id() {
        return id;
    }

    /** The plugin's own version, once its provider has been constructed. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** The URI schemes it declares, lower case, sorted; empty when its declaration could not be read. */
    public Set<String> schemes() {
        return schemes;
    }

    /** What its connections can do, once its provider has been constructed; otherwise empty. */
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** The API version it declares it was built for, when its declaration could be read. */
    public Optional<String> apiVersion() {
        return Optional.ofNullable(apiVersion);
    }

    /** The provider class named in {@code META-INF/services}, when known. */
    public Optional<String> className() {
        return Optional.ofNullable(className);
    }

    /** Where it came from: {@value #CLASS_PATH}, or the absolute path of its jar. */
    public String source() {
        return source;
    }

    /** Whether it can be used. */
    public PluginStatus status() {
        return status;
    }

    /** Why it is {@link PluginStatus#FAILED}, {@link PluginStatus#INCOMPATIBLE} or {@link PluginStatus#DUPLICATE}. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginInfo p && id.equals(p.id) && Objects.equals(version, p.version)
                && schemes.equals(p.schemes) && capabilities.equals(p.capabilities)
                && Objects.equals(apiVersion, p.apiVersion) && Objects.equals(className, p.className)
                && source.equals(p.source) && status == p.status && Objects.equals(reason, p.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, version, schemes, source, status);
    }

    /** One line: id, version, schemes, status, source and reason. */
    @Override
    public String toString() {
        return id + (version == null ? "" : " " + version) + " " + schemes + " " + status + " from " + source
                + (reason == null ? "" : ": " + reason);
    }
}
