/**
 * The MQTT plugin of Unplug: {@code mqtt://} and {@code mqtts://} sessions on Eclipse Paho (MQTT 3.1.1 and 5) whose
 * socket the plugin owns, and adoption of Paho clients. See {@link dev.unplug.mqtt.MqttProvider}.
 */
package dev.unplug.mqtt;
