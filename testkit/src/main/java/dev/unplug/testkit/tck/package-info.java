/**
 * The plugin TCK: extend {@link dev.unplug.testkit.tck.ConnectionContractTest} in a plugin's tests to check the
 * whole connection contract against real loopback peers.
 */
package dev.unplug.testkit.tck;
