package dev.unplug.spi;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import org.apiguardian.api.API;

/**
 * The version of the Unplug API. A plugin returns {@link #CURRENT} from {@link UnplugProvider#apiVersion()}:
 * because it is a compile-time constant, the value is copied into the plugin's class file, so the host learns
 * the version the plugin was <em>built</em> against and can refuse a plugin of another major version with a
 * clear reason instead of a {@code NoSuchMethodError} later.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ApiVersion {

    /** The API version of this jar, {@code major.minor}. */
    public static final String CURRENT = "1.0";

    private ApiVersion() {
    }

    /**
     * The major number of a version such as {@code "1.0"}.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} when the text is not {@code major[.minor...]}
     */
    public static int major(String version) {
        UnplugException.requireNonNull(version, "api version");
        String head = version.trim().split("\\.", 2)[0];
        try {
            int major = Integer.parseInt(head);
            if (major < 0) {
                throw new NumberFormatException();
            }
            return major;
        } catch (NumberFormatException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT,
                    "api version must look like 1.0, not '" + version + "'");
        }
    }

    /** Whether a plugin built against the given version can run on this API (same major version). */
    public static boolean isCompatible(String builtFor) {
        try {
            return major(builtFor) == major(CURRENT);
        } catch (UnplugException e) {
            return false;
        }
    }
}
