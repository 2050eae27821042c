package dev.unplug.mqtt;

import dev.unplug.api.message.Message;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.net.SocketFactory;

/**
 * What the plugin needs of a Paho client, one implementation for MQTT 3.1.1 ({@link PahoV3}) and one for MQTT 5
 * ({@link PahoV5}), for a client the plugin made and for one the application adopted. Every call returns at once;
 * what waits for the broker is a future, completed by Paho's threads. Paho's own failures arrive as its
 * MqttException (of either version), read by {@link #reasonCode(Throwable)}.
 */
interface Paho {

    /** 4 for MQTT 3.1.1, 5 for MQTT 5. */
    int version();

    /** The client's server URI and client id, for messages and adopted URIs. */
    String serverUri();

    String clientId();

    boolean isConnected();

    /** Connects (CONNECT, CONNACK awaited by the future) on a socket of the factory; no automatic reconnect. */
    CompletableFuture<Void> connect(MqttSettings settings, SocketFactory sockets, String user, String password)
            throws Exception;

    /**
     * Publishes; the future completes when the broker acknowledged (at once for QoS 0), with MQTT 5's reason code
     * of the acknowledgement (0x80 and above: refused), 0 for MQTT 3.1.1.
     */
    CompletableFuture<Integer> publish(String topic, byte[] payload, int qos, boolean retained) throws Exception;

    /** Subscribes; messages go to the consumer; the future gives the granted QoS (0x80 and above: refused). */
    CompletableFuture<Integer> subscribe(String filter, int qos, Consumer<Message> messages) throws Exception;

    /**
     * Paho's own DISCONNECT (quiesce 0), for an adopted client (the plugin's own sessions write theirs); the future
     * completes when Paho has sent it and closed its side.
     *
     * @param reason MQTT 5's reason code (0x00 normal, 0x04 with Will); ignored by MQTT 3.1.1
     */
    CompletableFuture<Void> disconnect(int reason) throws Exception;

    /** Paho's forced close without a DISCONNECT packet; blocks up to about a second in Paho. */
    void disconnectForcibly() throws Exception;


    /** Paho's reason code of a failure of either version, or -1. */
    static int reasonCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof org.eclipse.paho.client.mqttv3.MqttException e) {
                return e.getReasonCode();
            }
            if (c instanceof org.eclipse.paho.mqttv5.common.MqttException e) {
                return e.getReasonCode();
            }
        }
        return -1;
    }
}
