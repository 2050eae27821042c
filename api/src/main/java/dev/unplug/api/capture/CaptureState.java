package dev.unplug.api.capture;

import org.apiguardian.api.API;

/**
 * Where a capture is: the capture device's own state, under the connection's state.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum CaptureState {
    /** Connected, not capturing: the only capture state in which the device may disconnect. */
    IDLE,
    /** Capturing frames. */
    CAPTURING,
    /** Capturing, paused; stop is allowed, disconnect is not. */
    PAUSED
}
