package dev.unplug.api.session;

import dev.unplug.api.UnplugException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * The receiving side of a multicast transfer, reached with {@code connection.unwrap(TransferClient.class)} on a
 * connection that joins a content (the wds plugin's {@code wds://HOST:PORT/NAMESPACE/CONTENT}): connect joins, the
 * content arrives in the background, verified before it is moved into place. An api type, so an application
 * reaches it from a plugin loaded from a plugins folder too. Implementations are thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface TransferClient {

    /** The id the server assigned at the join, or -1 before it. */
    long clientId();

    /** The transfer's progress now. */
    TransferProgress progress();

    /**
     * Calls {@code listener} each time the percentage complete changes, on a receiving thread: keep it short.
     *
     * @param listener what hears the progress
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} for null
     */
    void onProgress(Consumer<TransferProgress> listener);

    /** How the transfer ended, or empty while it runs. */
    Optional<TransferResult> result();

    /**
     * Waits for the transfer to end.
     *
     * @param timeout how long to wait, at most {@link dev.unplug.api.Options#MAX_DURATION}
     * @return how it ended
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#TIMEOUT} when it has not ended in time,
     *         {@link dev.unplug.api.ErrorKind#NOT_CONNECTED} before {@code connect},
     *         {@link dev.unplug.api.ErrorKind#ABORTED} when interrupted
     */
    TransferResult awaitResult(Duration timeout);
}
