/**
 * What plugin authors implement: {@link dev.unplug.spi.UnplugProvider}, {@link dev.unplug.spi.AbstractConnection} and the JDK-only socket base {@link dev.unplug.spi.SocketConnection}.
 *
 * <p><b>Stability: stable</b> (since 0.1). Public types here change only compatibly within a major version: nothing is removed or changes meaning; new methods on interfaces come with defaults. The major version is {@link dev.unplug.spi.ApiVersion#CURRENT}'s.
 */
package dev.unplug.spi;
