package dev.unplug.spi;

import dev.unplug.api.Connection;
import dev.unplug.api.Options;
import java.net.URI;
import java.util.Set;

/**
 * What a plugin implements: a factory of {@link Connection}s for one or more URI schemes. Register it with
 * {@code @AutoService(UnplugProvider.class)} (which writes {@code META-INF/services}) and, in a modular jar,
 * {@code provides dev.unplug.spi.UnplugProvider with ...} in {@code module-info.java}.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A public no-argument constructor that is cheap: no I/O, no threads, no native loading. Hosts may
 *       construct providers only to list them.</li>
 *   <li>{@link #apiVersion()} returns {@link ApiVersion#CURRENT}, so the host knows what it was built for.</li>
 *   <li>{@link #open(URI, Options)} does no I/O either: it checks its arguments and returns an unconnected
 *       connection; I/O starts at {@link Connection#connect()}.</li>
 *   <li>Depend on the API with scope {@code provided}; never bundle it in the plugin jar.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe: a host may call every method from several threads.
 */
public interface UnplugProvider {

    /** A short, stable, unique id such as {@code "smtp"}: lower case letters, digits, {@code -} and {@code .}. */
    String id();

    /** The plugin's own version, such as {@code "1.2.0"}. */
    String version();

    /** The URI schemes this plugin serves, lower case, never empty. */
    Set<String> schemes();

    /** What the plugin's connections can do. */
    Set<Capability> capabilities();

    /** The API version the plugin was built against: return {@link ApiVersion#CURRENT}. */
    String apiVersion();

    /**
     * Creates an unconnected connection. No I/O.
     *
     * @param uri the target, with one of {@link #schemes()}; user info may carry credentials
     * @param options settings that override the URI's query parameters
     * @return a connection in state {@link dev.unplug.api.ConnectionState#NOT_INITIALISED}
     * @throws dev.unplug.api.UnplugException {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} for nulls,
     *         {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} for a URI this plugin cannot serve
     */
    Connection open(URI uri, Options options);
}
