/**
 * What an application does on a message connection beyond the contract, reached with {@code connection.unwrap(...)}:
 * {@link dev.unplug.api.message.MqttSession} publishes and subscribes on an MQTT session, {@link
 * dev.unplug.api.message.WebSocketSession} sends and receives on a WebSocket. Each operation runs as one
 * of the connection's commands, bounded by its read timeout; a drop wakes a thread blocked in one at once with a
 * typed error. They are api types so that one class is shared by the application and a plugin loaded from a plugins
 * folder.
 *
 * <p><b>Stability: experimental</b> (since 0.1). Types here may still change in a minor version, said in the
 * release notes, until they are marked stable.
 *
 * @since 0.1
 */
package dev.unplug.api.message;
