package dev.unplug.testkit.tck;

import org.apiguardian.api.API;

/**
 * How a peer started for the {@link ConnectionContractTest} behaves: the TCK asks a plugin's test for each of these
 * through {@link ConnectionContractTest#startPeer(PeerBehaviour)}. A socket plugin gets them from the testkit's
 * {@link dev.unplug.testkit.peer.LoopbackPeer}; a device or a plugin with another kind of peer produces them with
 * its real thing (a multicast server told to ignore leaves, a link in a namespace, a capture source).
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum PeerBehaviour {
    /** Answers everything, the goodbye included, at once. */
    NORMAL,
    /** Answers everything but the goodbye, and keeps the connection open. */
    NEVER_ANSWERS_GOODBYE,
    /** Answers the goodbye by resetting the connection (or, where there is no socket, by vanishing). */
    RESETS_ON_GOODBYE,
    /** Answers the goodbye half a second late, so that concurrent disconnects all start before it comes. */
    SLOW_GOODBYE,
    /** Accepts the connection and never says anything (no greeting, no answer). */
    SILENT
}
