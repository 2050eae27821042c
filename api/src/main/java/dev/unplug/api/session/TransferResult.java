package dev.unplug.api.session;

import dev.unplug.api.UnplugException;
import java.nio.file.Path;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * How a multicast transfer ended, with what it took ({@link TransferClient#awaitResult}). Immutable.
 *
 * @param status how it ended
 * @param file the complete, verified file; present only for {@link Status#COMPLETE}
 * @param sha256 the content's SHA-256 as the server announced it (lower-case hex); the file has exactly it
 * @param bytesOverMulticast content bytes taken from multicast datagrams (duplicates not counted)
 * @param bytesOverUnicast content bytes fetched by unicast after a fallback
 * @param blocksOverUnicast blocks fetched by unicast after a fallback
 * @param blocksMissingAtFallback blocks the client lacked when it fell back (-1 when it never did)
 * @param datagramsMalformed datagrams on the group port that broke the format (wrong magic, length or checksum)
 * @param datagramsForeign well-formed datagrams of another session or out of the content's range
 * @param error why it did not complete: {@link dev.unplug.api.ErrorKind#ABORTED} when the server aborted it,
 *        {@link dev.unplug.api.ErrorKind#MALFORMED_REPLY} when the bytes did not match the SHA-256, and so on
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TransferResult(Status status, Optional<Path> file, String sha256, long bytesOverMulticast,
        long bytesOverUnicast, int blocksOverUnicast, int blocksMissingAtFallback, long datagramsMalformed,
        long datagramsForeign, Optional<UnplugException> error) {

    /** How a transfer ended. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Status {
        /** The whole content arrived, matched its SHA-256 and was moved into place. */
        COMPLETE,
        /** The server disconnected the client with abort, or terminated its session: no file is left. */
        ABORTED,
        /** The client left (graceful disconnect) or was dropped before the end: no file is left. */
        CANCELLED,
        /** The transfer failed (checksum, connection lost, disk): no file is left. */
        FAILED
    }
}
