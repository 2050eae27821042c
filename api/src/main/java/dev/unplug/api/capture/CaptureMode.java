package dev.unplug.api.capture;

import org.apiguardian.api.API;

/**
 * The sibling modes of one capture device. Every call must go through the mode that connected the device;
 * a call through another mode raises {@link dev.unplug.api.ErrorKind#WRONG_MODE} (the original's
 * {@code NMERR_NOT_ESP}).
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum CaptureMode {
    /** Frames are written to a capture file, read after stop. */
    DELAYED,
    /** Frames are delivered to the application as they arrive. */
    REAL_TIME,
    /** Only counters are kept. */
    STATISTICS,
    /** Only per-conversation counters are kept. */
    CONVERSATION_STATISTICS
}
