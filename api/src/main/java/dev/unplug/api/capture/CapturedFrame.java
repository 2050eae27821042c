package dev.unplug.api.capture;

import java.time.Instant;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * One frame as the capture saw it. Immutable: {@link #bytes()} returns a copy.
 *
 * @param timestamp when the interface saw it
 * @param originalLength its length on the wire, which may exceed the captured bytes (snap length)
 * @param linkType the libpcap link type ({@code DLT_*}) of its bytes, such as 1 for Ethernet
 * @param bytes the captured bytes, from the link-layer header on
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CapturedFrame(Instant timestamp, int originalLength, int linkType, byte[] bytes) {

    /** Copies the bytes in. */
    public CapturedFrame {
        bytes = bytes.clone();
    }

    /** The captured bytes (a copy). */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** How many bytes were captured. */
    public int capturedLength() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedFrame f && timestamp.equals(f.timestamp) && originalLength == f.originalLength
                && linkType == f.linkType && Arrays.equals(bytes, f.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * timestamp.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "frame " + bytes.length + "/" + originalLength + " bytes at " + timestamp;
    }
}
