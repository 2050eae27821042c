/**
 * Hostile loopback peers: {@link dev.unplug.testkit.peer.LoopbackPeer} plays a
 * {@link dev.unplug.testkit.peer.LineScript} on {@code 127.0.0.1} normally, silently, without answering the
 * goodbye, with a reset, with garbage or slowly, in plain text or TLS ({@link dev.unplug.testkit.peer.PeerTls}),
 * and records every line it receives ({@link dev.unplug.testkit.peer.PeerConnection}).
 */
package dev.unplug.testkit.peer;
