package dev.unplug.api.session;

import org.apiguardian.api.API;

/**
 * A multicast transfer's progress, as its client sees it ({@link TransferClient#progress()}). Immutable.
 *
 * @param bytesReceived content bytes held (multicast and unicast)
 * @param size the content's size in bytes
 * @param percent {@code bytesReceived} as a percentage of {@code size}, 0 to 100
 * @param fellBack whether the client has fallen back to unicast
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TransferProgress(long bytesReceived, long size, int percent, boolean fellBack) {
}
