package dev.unplug.core;

import org.apiguardian.api.API;

/**
 * Where a plugin found by a {@link PluginHost} stands. Immutable and thread-safe.
 *
 * <p>A plugin moves from {@link #READY} to {@link #ACTIVE} or {@link #FAILED} when its provider is first
 * constructed; the other states are decided at discovery and never change.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum PluginStatus {
    /** Found and declared correctly; its provider has not been constructed yet. */
    READY,
    /** Its provider was constructed and answered; URIs of its schemes are routed to it. */
    ACTIVE,
    /** It cannot be used: its class is missing, its constructor threw, its jar is corrupt, it is undeclared. */
    FAILED,
    /** It was built for another major version of the Unplug API. */
    INCOMPATIBLE,
    /** Another plugin with the same id or a shared scheme won; this one is ignored. */
    DUPLICATE
}
