package dev.unplug.api.capture;

import org.apiguardian.api.API;

/**
 * Receives frames in REAL_TIME mode, on the device's delivery thread. What it throws is counted and ignored.
 *
 * @since 0.1
 */
@FunctionalInterface
@API(status = API.Status.STABLE, since = "0.1")
public interface FrameHandler {

    /**
     * One captured frame.
     *
     * @param frame the frame; its bytes are a copy the handler may keep
     */
    void onFrame(CapturedFrame frame);
}
