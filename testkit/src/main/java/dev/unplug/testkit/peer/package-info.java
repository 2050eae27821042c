/**
 * Hostile loopback peers: {@link dev.unplug.testkit.peer.LoopbackPeer} plays a
 * {@link dev.unplug.testkit.peer.LineScript} on {@code 127.0.0.1} normally, silently, without answering the
 * goodbye, with a reset, with garbage or slowly, in plain text or TLS ({@link dev.unplug.testkit.peer.PeerTls}),
 * and records every line it receives ({@link dev.unplug.testkit.peer.PeerConnection}), one thread per connection;
 * {@link dev.unplug.testkit.peer.ManyConnectionsPeer} holds thousands of connections on one NIO thread, greets and
 * then stays silent or answers the goodbye, and counts them, for shutdown tests and benchmarks.
 *
 * <p><b>Stability: stable</b> (since 0.1). Public types here change only compatibly within a major version: nothing is removed or changes meaning; new methods on interfaces come with defaults. The major version is {@link dev.unplug.spi.ApiVersion#CURRENT}'s.
 */
package dev.unplug.testkit.peer;
