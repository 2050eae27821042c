/**
 * Internals shared by Unplug's own modules: the guarded socket beneath the Commons Net transport, and the hook
 * ({@link dev.unplug.spi.internal.HostWatch}) through which the testkit hears of every connection a host opens. Not
 * an API: exported only to {@code dev.unplug.transport}, {@code dev.unplug.core} and {@code dev.unplug.testkit}, and
 * may change in any release.
 *
 * <p><b>Stability: internal.</b>
 */
package dev.unplug.spi.internal;
