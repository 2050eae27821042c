package dev.unplug.api.message;

import dev.unplug.api.UnplugException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * One application message received on a subscription (or to publish): its topic, payload, quality of service and
 * retained flag. Immutable: the payload is copied in and out.
 *
 * @param topic the topic it was published to
 * @param payload its bytes (copied)
 * @param qos the quality of service it arrived with: 0, 1 or 2
 * @param retained whether the broker sent it as the topic's retained message
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Message(String topic, byte[] payload, int qos, boolean retained) {

    /**
     * Checks and copies.
     *
     * @throws UnplugException {@link dev.unplug.api.ErrorKind#NULL_ARGUMENT} for a null topic or payload,
     *         {@link dev.unplug.api.ErrorKind#INVALID_ARGUMENT} for a QoS other than 0, 1 or 2
     */
    public Message {
        UnplugException.requireNonNull(topic, "topic");
        UnplugException.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new UnplugException(dev.unplug.api.ErrorKind.INVALID_ARGUMENT, "qos must be 0, 1 or 2, not " + qos);
        }
        payload = payload.clone();
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload as UTF-8 text.
     *
     * @return the text
     */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.topic.equals(topic) && Arrays.equals(m.payload, payload) && m.qos == qos
                && m.retained == retained;
    }

    @Override
    public int hashCode() {
        return (topic.hashCode() * 31 + Arrays.hashCode(payload)) * 31 + qos * 2 + (retained ? 1 : 0);
    }

    /** Topic, size and flags; never the payload (it may be private). */
    @Override
    public String toString() {
        return "Message[topic=" + topic + ", " + payload.length + " bytes, qos=" + qos + (retained ? ", retained" : "")
                + "]";
    }
}
