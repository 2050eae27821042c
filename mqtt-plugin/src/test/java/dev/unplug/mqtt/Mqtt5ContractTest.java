package dev.unplug.mqtt;

/** The whole TCK against the mqtt plugin on MQTT 5 (Paho's mqttv5 client), as {@link MqttContractTest}. */
class Mqtt5ContractTest extends MqttContractTest {

    @Override
    String version() {
        return "5";
    }
}
