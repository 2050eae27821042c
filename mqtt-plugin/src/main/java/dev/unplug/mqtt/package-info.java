/**
 * The MQTT plugin of Unplug: {@code mqtt://} and {@code mqtts://} sessions on Eclipse Paho (MQTT 3.1.1 and 5) whose
 * socket the plugin owns, and adoption of Paho clients. See {@link dev.unplug.mqtt.MqttProvider}.
 *
 * <p><b>Stability: internal</b> (since 0.1; {@code @API(status = INTERNAL)}). Applications reach this plugin through
 * the api's types only (a scheme, {@code unwrap}, {@code host.extension}); its public classes are public for
 * {@link java.util.ServiceLoader} and may change in any release.
 */
package dev.unplug.mqtt;
