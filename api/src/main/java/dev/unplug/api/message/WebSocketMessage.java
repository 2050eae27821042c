package dev.unplug.api.message;

import dev.unplug.api.UnplugException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * One whole WebSocket message: text or binary. Immutable: the bytes are copied in and out.
 *
 * @param binary whether it came as a binary message (false: text, UTF-8)
 * @param data its bytes (copied)
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record WebSocketMessage(boolean binary, byte[] data) {

    /**
     * Checks and copies.
     *
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} for null data
     */
    public WebSocketMessage {
        UnplugException.requireNonNull(data, "data");
        data = data.clone();
    }

    /**
     * A text message.
     *
     * @param text the text
     * @return the message
     */
    public static WebSocketMessage text(String text) {
        UnplugException.requireNonNull(text, "text");
        return new WebSocketMessage(false, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /**
     * The bytes as UTF-8 text.
     *
     * @return the text
     */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebSocketMessage m && m.binary == binary && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 2 + (binary ? 1 : 0);
    }

    /** Kind and size; never the content (it may be private). */
    @Override
    public String toString() {
        return "WebSocketMessage[" + (binary ? "binary" : "text") + ", " + data.length + " bytes]";
    }
}
