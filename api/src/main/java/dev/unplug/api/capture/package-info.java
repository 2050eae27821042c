/**
 * The capture device's extension of the contract ({@link dev.unplug.api.capture.CaptureControl}).
 *
 * <p><b>Stability: stable</b> (since 0.1). Public types here change only compatibly within a major version: nothing is removed or changes meaning; new methods on interfaces come with defaults. The major version is {@link dev.unplug.spi.ApiVersion#CURRENT}'s.
 */
package dev.unplug.api.capture;
