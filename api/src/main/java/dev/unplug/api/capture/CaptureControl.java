package dev.unplug.api.capture;

import dev.unplug.api.DisconnectOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Capture control of a capture device connection, obtained with
 * {@code connection.unwrap(CaptureControl.class)}: the control of the mode that connected the device (option
 * {@code mode}). The device is used in a strict order: connect, start, optionally pause and resume, stop,
 * disconnect; start and stop may repeat while connected and each start makes a new capture. Calls are refused
 * with an {@link dev.unplug.api.UnplugException} of these kinds, and a refused call changes nothing:
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
 * <p>When several apply, NOT_CONNECTED comes first, then WRONG_MODE, then the capture state's. The sibling modes
 * of the one device are reached with {@link #through(CaptureMode)}; every call through a mode other than the one
 * that connected is refused with WRONG_MODE, as the original's sibling interfaces are.
 *
 * <p>Refusing a graceful disconnect while capturing keeps captured frames from being lost; a drop is never
 * refused, returns promptly even on a quiet interface, and leaves the capture file valid. Triggers may stop or
 * pause a capture on their own, so {@link #captureState()} can change under the caller; a
 * {@link CaptureListener} hears every change with its reason. Implementations are thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface CaptureControl {

    /** The mode this control speaks for. */
    CaptureMode mode();

    /** The mode that connected the device; calls through any other mode are refused with WRONG_MODE. */
    CaptureMode connectedMode();

    /**
     * This device's control as seen through another of its sibling modes.
     *
     * @param mode the mode to speak through
     * @return a control whose calls are refused with WRONG_MODE unless {@code mode} is {@link #connectedMode()}
     * @throws dev.unplug.api.UnplugException NULL_ARGUMENT when null
     */
    CaptureControl through(CaptureMode mode);

    /** The capture's current state (IDLE before connect and after the connection ended). */
    CaptureState captureState();

    /** Starts a new capture; in DELAYED mode into a new file that never overwrites an earlier one. */
    void start();

    /** Pauses the capture: frames seen while paused are counted but not written or delivered. */
    void pause();

    /** Resumes a paused capture, into the same file. */
    void resume();

    /** Stops the capture, flushing and closing what it wrote. Allowed while paused. */
    void stop();

    /**
     * Disconnects the device gracefully through this mode: the same as {@code connection.disconnect(deadline)}
     * when this is the connecting mode.
     *
     * @param deadline the most the disconnect may take; positive
     * @return how it ended
     * @throws dev.unplug.api.UnplugException CAPTURING while capturing or paused (stop first), NOT_CONNECTED,
     *         WRONG_MODE
     */
    DisconnectOutcome disconnect(Duration deadline);

    /**
     * Counters of the current capture (or the last one, once stopped); zero before the first start. Allowed in
     * every mode, from any thread, in any state.
     */
    CaptureStatistics statistics();

    /** The file the current or last DELAYED capture writes, if any. */
    Optional<Path> currentFile();

    /** Every file this device has written, oldest first. */
    List<Path> files();

    /**
     * Sets where REAL_TIME frames go; call before {@link #start()}. Frames reach the handler on one delivery
     * thread through a bounded queue (option {@code queue}); when the handler is slower than the wire, frames that
     * do not fit are discarded and counted ({@link CaptureStatistics#framesDiscarded()}), never blocking capture.
     *
     * @param handler what receives each frame
     * @throws dev.unplug.api.UnplugException WRONG_MODE unless this control and the device are REAL_TIME,
     *         NULL_ARGUMENT for null, CAPTURING while a capture runs
     */
    void onFrame(FrameHandler handler);

    /**
     * Adds a listener of capture state changes, including those made by triggers.
     *
     * @param listener the listener
     * @throws dev.unplug.api.UnplugException NULL_ARGUMENT when null
     */
    void addCaptureListener(CaptureListener listener);

    /**
     * Removes a listener; an unknown one is ignored.
     *
     * @param listener the listener
     * @throws dev.unplug.api.UnplugException NULL_ARGUMENT when null
     */
    void removeCaptureListener(CaptureListener listener);
}
