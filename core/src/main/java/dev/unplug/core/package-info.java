/**
 * The plugin host: discovery, routing by scheme, tracking and shutdown ({@link dev.unplug.core.PluginHost}).
 *
 * <p><b>Stability: stable</b> (since 0.1). Public types here change only compatibly within a major version: nothing is removed or changes meaning; new methods on interfaces come with defaults. The major version is {@link dev.unplug.spi.ApiVersion#CURRENT}'s.
 */
package dev.unplug.core;
