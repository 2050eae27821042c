package dev.unplug.testkit.tck;

import dev.unplug.spi.Capability;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks a TCK check that applies only to a plugin declaring a capability (in {@code UnplugProvider.capabilities()}).
 * For a plugin without it, the check is reported as not applicable, naming the rule, the plugin and the capability
 * it lacks; it is never silently skipped.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@API(status = API.Status.STABLE, since = "0.1")
public @interface Needs {

    /** The rule's number in "Rules the TCK checks" of docs/writing-a-plugin.md. */
    int rule();

    /** The capability the plugin must declare. */
    Capability value();

    /** Why the rule cannot apply without it, completing "not applicable: ...". */
    String why();
}
