package dev.unplug.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Declares a provider's identity on its class, so that a host can list it, route URIs to it by scheme and
 * check its API version from {@code ServiceLoader.Provider.type()} alone, without constructing it.
 *
 * <pre>{@code
 * @AutoService(UnplugProvider.class)
 * @UnplugPlugin(id = "smtp", schemes = {"smtp", "smtps"}, apiVersion = ApiVersion.CURRENT)
 * public final class SmtpProvider implements UnplugProvider { ... }
 * }</pre>
 *
 * <p>{@code apiVersion} has no default on purpose: writing {@link ApiVersion#CURRENT} copies the constant into
 * the plugin's class file when it is compiled, which is what the host checks.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@API(status = API.Status.STABLE, since = "0.1")
public @interface UnplugPlugin {

    /** The plugin id: lower case letters, digits, {@code -} and {@code .}; unique among installed plugins. */
    String id();

    /** The URI schemes served, lower case, at least one. */
    String[] schemes();

    /** The API version the plugin is built against: always {@link ApiVersion#CURRENT}. */
    String apiVersion();
}
