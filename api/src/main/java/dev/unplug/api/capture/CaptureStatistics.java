package dev.unplug.api.capture;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Counters of one capture, kept in every mode. Immutable.
 *
 * @param framesSeen frames that reached the capture while it ran (written or not)
 * @param bytesSeen captured bytes of those frames
 * @param framesWritten frames written to the file (DELAYED) or delivered to the handler (REAL_TIME); in the
 *        statistics modes, frames counted
 * @param bytesWritten captured bytes of those frames
 * @param framesSkippedWhilePaused frames seen while paused, which were neither written nor delivered
 * @param framesDiscarded REAL_TIME frames discarded because the handler's queue was full (0 in other modes)
 * @param framesDroppedByKernel frames the kernel dropped for lack of ring space (libpcap {@code ps_drop}, which
 *        on Linux is the socket's {@code tp_drops}, read and added up as the capture runs and once more at stop;
 *        counted since this capture's start); 0 for an offline source. The kernel counts before libpcap's own
 *        choices: on {@code lo} it sees each frame twice (sent and received) and libpcap keeps one, so there a
 *        frame lost to a full ring may count twice, and the count lies between the frames lost and twice that
 *        (measured: 200,000 frames sent, 158,925 seen, 80,682 counted for 41,075 lost)
 * @param framesDroppedByInterface frames the interface or its driver dropped (libpcap {@code ps_ifdrop}); 0 for
 *        an offline source
 * @param conversations per host pair and per TCP/UDP port pair, in CONVERSATION_STATISTICS mode; empty otherwise
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CaptureStatistics(long framesSeen, long bytesSeen, long framesWritten, long bytesWritten,
        long framesSkippedWhilePaused, long framesDiscarded, long framesDroppedByKernel,
        long framesDroppedByInterface, List<Conversation> conversations) {

    /** No capture yet. */
    public static final CaptureStatistics NONE = new CaptureStatistics(0, 0, 0, 0, 0, 0, 0, 0, List.of());

    /** Copies the list. */
    public CaptureStatistics {
        conversations = List.copyOf(conversations);
    }

    @Override
    public String toString() {
        return framesSeen + " frames seen (" + bytesSeen + " bytes), " + framesWritten + " written (" + bytesWritten
                + " bytes), " + framesSkippedWhilePaused + " skipped while paused, " + framesDiscarded
                + " discarded, dropped by kernel " + framesDroppedByKernel + ", by interface "
                + framesDroppedByInterface + (conversations.isEmpty() ? "" : ", " + conversations.size()
                + " conversations");
    }
}
