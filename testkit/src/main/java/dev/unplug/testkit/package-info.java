/**
 * Test support for Unplug users and plugin authors: {@link dev.unplug.testkit.UnplugExtension} fails a test that
 * leaves a connection open, {@link dev.unplug.testkit.UnplugAssertions} holds AssertJ assertions for outcomes and
 * errors, and {@link dev.unplug.testkit.ProcessResources} counts file descriptors, sockets and threads.
 */
package dev.unplug.testkit;
