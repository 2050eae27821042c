package dev.unplug.api.message;

import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Publish and subscribe on an MQTT connection, reached with {@code connection.unwrap(MqttSession.class)} on a
 * connection of the mqtt plugin (opened or adopted). Each call runs as one of the connection's commands (state
 * {@code BUSY}; a graceful disconnect follows its {@link dev.unplug.api.BusyPolicy}), bounded by the connection's
 * read timeout; a drop makes a thread blocked in one return at once with
 * {@link dev.unplug.api.ErrorKind#CONNECTION_DROPPED}. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface MqttSession {

    /**
     * The MQTT protocol level of the session: 4 for MQTT 3.1.1, 5 for MQTT 5.
     *
     * @return 4 or 5
     */
    int protocolVersion();

    /**
     * Publishes a message and, for QoS 1 and 2, waits until the broker has acknowledged it (PUBACK, or PUBCOMP).
     *
     * @param topic the topic, no wildcards
     * @param payload the bytes
     * @param qos 0, 1 or 2
     * @param retained whether the broker keeps it as the topic's retained message
     * @throws dev.unplug.api.UnplugException {@code INVALID_ARGUMENT} for a bad topic or QoS, {@code TIMEOUT} when
     *         no acknowledgement came within the read timeout, {@code CONNECTION_DROPPED} when the connection was
     *         dropped meanwhile, {@code NOT_CONNECTED} when it is not connected, {@code FAILED} with the broker's
     *         reason code when MQTT 5's broker refused it
     */
    void publish(String topic, byte[] payload, int qos, boolean retained);

    /**
     * Subscribes to a topic filter and waits for the broker's SUBACK; messages then wait for {@link #receive}.
     *
     * @param topicFilter the filter ({@code +} and {@code #} wildcards allowed)
     * @param qos the maximum QoS asked for: 0, 1 or 2
     * @return the QoS the broker granted
     * @throws dev.unplug.api.UnplugException {@code ACCESS_DENIED} when the broker refused the subscription (its
     *         return or reason code in {@code replyCode()}), and as {@link #publish}
     */
    int subscribe(String topicFilter, int qos);

    /**
     * The next message received on a subscription, waiting up to the timeout. Messages beyond 10,000 unread are
     * discarded, oldest first, and counted in the connection's log.
     *
     * @param timeout how long to wait (beyond a day counts as a day)
     * @return the message, or empty when none came in time
     * @throws dev.unplug.api.UnplugException {@code CONNECTION_DROPPED} when the connection was dropped, before or
     *         while waiting; {@code NOT_CONNECTED} when it ended otherwise
     */
    Optional<Message> receive(Duration timeout);
}
