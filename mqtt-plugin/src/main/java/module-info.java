/**
 * The MQTT plugin of Unplug: {@code mqtt://} and {@code mqtts://} sessions on Eclipse Paho, and adoption of Paho
 * clients.
 */
module dev.unplug.mqtt {
    requires transitive dev.unplug.api;
    requires org.eclipse.paho.client.mqttv3;
    requires org.eclipse.paho.mqttv5.client;
    requires static com.google.auto.service;

    exports dev.unplug.mqtt;

    provides dev.unplug.spi.UnplugProvider with dev.unplug.mqtt.MqttProvider;
}
