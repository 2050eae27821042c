/**
 * The plugin TCK: extend {@link dev.unplug.testkit.tck.ConnectionContractTest} in a plugin's tests to check the
 * whole connection contract against real loopback peers.
 *
 * <p><b>Stability: stable</b> (since 0.1). Public types here change only compatibly within a major version: nothing is removed or changes meaning; new methods on interfaces come with defaults. The major version is {@link dev.unplug.spi.ApiVersion#CURRENT}'s.
 */
package dev.unplug.testkit.tck;
