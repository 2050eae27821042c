/**
 * Test support for Unplug users and plugin authors: {@link dev.unplug.testkit.UnplugExtension} fails a test that
 * leaves a connection open, {@link dev.unplug.testkit.UnplugAssertions} holds AssertJ assertions for outcomes and
 * errors, and {@link dev.unplug.testkit.ProcessResources} counts file descriptors, sockets and threads.
 *
 * <p><b>Stability: stable</b> (since 0.1). Public types here change only compatibly within a major version: nothing is removed or changes meaning; new methods on interfaces come with defaults. The major version is {@link dev.unplug.spi.ApiVersion#CURRENT}'s.
 */
package dev.unplug.testkit;
