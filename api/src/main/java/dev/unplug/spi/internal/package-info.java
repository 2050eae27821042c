/**
 * Internals shared by Unplug's own modules: the guarded socket beneath the SPI's socket base and the Commons Net
 * transport. Not an API: exported only to {@code dev.unplug.transport}, and may change in any release.
 *
 * <p><b>Stability: internal.</b>
 */
package dev.unplug.spi.internal;
