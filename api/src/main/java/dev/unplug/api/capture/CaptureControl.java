package dev.unplug.api.capture;

/**
 * Capture control of a capture device connection, obtained with
 * {@code connection.unwrap(CaptureControl.class)}. The device is used in a strict order: connect, start,
 * optionally pause and resume, stop, disconnect; start and stop may repeat while connected and each start makes
 * a new capture. Calls are refused with an {@link dev.unplug.api.UnplugException} of these kinds:
 *
 * <table>
 *   <caption>Refusals</caption>
 *   <tr><th>call</th><th>refused with</th></tr>
 *   <tr><td>disconnect</td><td>CAPTURING (stop first), NOT_CONNECTED, WRONG_MODE</td></tr>
 *   <tr><td>start</td><td>CAPTURE_PAUSED, CAPTURING, NOT_CONNECTED, WRONG_MODE</td></tr>
 *   <tr><td>pause</td><td>CAPTURE_PAUSED, NOT_CAPTURING, NOT_CONNECTED, WRONG_MODE</td></tr>
 *   <tr><td>resume</td><td>CAPTURE_NOT_PAUSED, NOT_CONNECTED, WRONG_MODE</td></tr>
 *   <tr><td>stop</td><td>NOT_CAPTURING, NOT_CONNECTED, WRONG_MODE (stop while paused is allowed)</td></tr>
 * </table>
 *
 * <p>Refusing a graceful disconnect while capturing keeps captured frames from being lost; a drop is never
 * refused and returns promptly even on a quiet interface. Triggers may stop or pause a capture on their own,
 * so {@link #captureState()} can change under the caller. Implementations are thread-safe.
 */
public interface CaptureControl {

    /** The mode this control speaks for. */
    CaptureMode mode();

    /** The capture's current state. */
    CaptureState captureState();

    /** Starts a new capture. */
    void start();

    /** Pauses the capture. */
    void pause();

    /** Resumes a paused capture. */
    void resume();

    /** Stops the capture, flushing and closing what it wrote. */
    void stop();
}
