package dev.unplug.api.capture;

import org.apiguardian.api.API;

/**
 * Hears capture state changes: those the caller made and those a trigger made under it (stop after N frames,
 * N bytes or a duration; pause on a pattern; the end of an offline source does not stop a capture). Called on
 * the thread that made the change; must be quick and must not call back into the device. Whatever it throws is
 * ignored.
 *
 * @since 0.1
 */
@FunctionalInterface
@API(status = API.Status.STABLE, since = "0.1")
public interface CaptureListener {

    /**
     * The capture moved from one state to another.
     *
     * @param control the control of the connecting mode
     * @param from the state before
     * @param to the state after
     * @param reason why, such as {@code "stop()"} or {@code "trigger stopAfterFrames=100 reached"}
     */
    void captureStateChanged(CaptureControl control, CaptureState from, CaptureState to, String reason);
}
