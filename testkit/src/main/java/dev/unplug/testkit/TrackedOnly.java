package dev.unplug.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Opts a test class or method out of {@link UnplugExtension}'s watching of plugin hosts: the extension then checks
 * only the connections passed to {@link ConnectionTracker#track}, not every connection a host opened during the
 * test. For a test that hands host connections to something that outlives it on purpose.
 *
 * @since 0.1
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@API(status = API.Status.STABLE, since = "0.1")
public @interface TrackedOnly {
}
