package dev.unplug.spi;

import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * What a plugin implements: a factory of {@link Connection}s for one or more URI schemes. Register it with
 * {@code @AutoService(UnplugProvider.class)} (which writes {@code META-INF/services}) and, in a modular jar,
 * {@code provides dev.unplug.spi.UnplugProvider with ...} in {@code module-info.java}, and declare its id, schemes and
 * API version with {@link UnplugPlugin} on the class so that hosts can route to it without constructing it.
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
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface UnplugProvider {

    /**
     * A short, stable, unique id such as {@code "smtp"}; by default the {@link UnplugPlugin#id()} of the class.
     *
     * @throws UnplugException {@link ErrorKind#FAILED} when the class has no {@link UnplugPlugin}
     */
    default String id() {
        return declaration(getClass()).id();
    }

    /**
     * The plugin's own version, such as {@code "1.2.0"}; by default the {@code Implementation-Version} of its jar's
     * manifest, or {@code "unversioned"} when the jar has none.
     */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "unversioned" : v;
    }

    /**
     * The URI schemes this plugin serves, lower case; by default {@link UnplugPlugin#schemes()}.
     *
     * @throws UnplugException {@link ErrorKind#FAILED} when the class has no {@link UnplugPlugin}
     */
    default Set<String> schemes() {
        return Stream.of(declaration(getClass()).schemes()).map(x -> x.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** What the plugin's connections can do. */
    Set<Capability> capabilities();

    /**
     * The API version the plugin was built against; by default {@link UnplugPlugin#apiVersion()}.
     *
     * @throws UnplugException {@link ErrorKind#FAILED} when the class has no {@link UnplugPlugin}
     */
    default String apiVersion() {
        return declaration(getClass()).apiVersion();
    }

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

    /**
     * A plugin-wide extension that belongs to no one connection, such as a factory of servers
     * ({@link dev.unplug.api.session.TransportServer.Factory}), or null when the plugin offers none of that type
     * (the default). Applications reach it through their host ({@code host.extension(scheme, type)}), so its type
     * must be an api type, shared with a plugin loaded from a plugins folder. Cheap: no I/O, no thread.
     *
     * @param type the api type asked for
     * @param <T> the type
     * @return the extension, or null
     */
    default <T> T extension(Class<T> type) {
        return null;
    }

    /**
     * Adopts a client the application already holds (a JDBC connection, an MQTT client, a WebSocket): returns it as
     * a {@link Connection} under the contract, already connected (state {@code CONNECTED} or
     * {@code AUTHENTICATED}), or null when the object is not one this plugin adopts (the default). Applications call
     * {@code host.adopt(client)}, which asks each plugin and tracks what one returns. Where the plugin does not own
     * the client's socket, its outcomes' reasons say what was and was not observed. No I/O beyond what the client
     * needs to confirm it is open.
     *
     * @param client what the application holds
     * @param options settings for the adopted connection (deadlines, {@code resetOnDrop}, the plugin's own)
     * @return the adopted connection, or null
     * @throws dev.unplug.api.UnplugException when the object is this plugin's kind but cannot be adopted (closed,
     *         say), typed
     */
    default Connection adopt(Object client, Options options) {
        return null;
    }

    /**
     * The {@link UnplugPlugin} declaration of a provider class, read without constructing it.
     *
     * @param type a provider class
     * @return its declaration
     * @throws UnplugException {@link ErrorKind#FAILED} when the class is not annotated,
     *         {@link ErrorKind#NULL_ARGUMENT} for null
     */
    static UnplugPlugin declaration(Class<?> type) {
        UnplugException.requireNonNull(type, "type");
        UnplugPlugin d = type.getAnnotation(UnplugPlugin.class);
        if (d == null) {
            throw new UnplugException(ErrorKind.FAILED, "provider " + type.getName() + " has no @"
                    + UnplugPlugin.class.getSimpleName() + " declaring its id, schemes and api version");
        }
        return d;
    }
}
