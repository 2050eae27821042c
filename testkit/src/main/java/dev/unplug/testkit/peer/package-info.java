/**
 * Hostile loopback peers: {@link dev.unplug.testkit.peer.LoopbackPeer} plays a
 * {@link dev.unplug.testkit.peer.LineScript} on {@code 127.0.0.1} normally, silently, without answering the
 * goodbye, with a reset, with garbage or slowly, in plain text or TLS ({@link dev.unplug.testkit.peer.PeerTls}),
 * and records every line it receives ({@link dev.unplug.testkit.peer.PeerConnection}), one thread per connection;
 * {@link dev.unplug.testkit.peer.ManyConnectionsPeer} holds thousands of connections on one NIO thread, greets and
 * then stays silent or answers the goodbye, and counts them, for shutdown tests and benchmarks.
 */
package dev.unplug.testkit.peer;
