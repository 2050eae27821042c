/**
 * Extensions for message connections, reached with {@code connection.unwrap(...)}: {@link
 * dev.unplug.api.message.MqttSession} publishes and subscribes on an MQTT session. Each operation runs as one of the
 * connection's commands, bounded by its read timeout; a drop wakes a thread blocked in one at once with a typed
 * error.
 *
 * @since 0.1
 */
package dev.unplug.api.message;
