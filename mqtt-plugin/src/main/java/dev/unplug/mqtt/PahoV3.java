package dev.unplug.mqtt;

import dev.unplug.api.message.Message;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** MQTT 3.1.1 on Paho's mqttv3 {@link MqttAsyncClient}. Thread-safe as Paho's client is. */
final class PahoV3 implements Paho {

    private final MqttAsyncClient client;

    PahoV3(MqttAsyncClient client) {
        this.client = client;
    }

    static PahoV3 create(MqttSettings s) throws MqttException {
        return new PahoV3(new MqttAsyncClient(s.serverUri(), s.clientId(), new MemoryPersistence()));
    }

    @Override
    public int version() {
        return 4;
    }

    @Override
    public String serverUri() {
        return client.getServerURI();
    }

    @Override
    public String clientId() {
        return client.getClientId();
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public CompletableFuture<Void> connect(MqttSettings s, SocketFactory sockets, String user, String password)
            throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setSocketFactory(sockets);
        o.setCleanSession(s.cleanSession());
        o.setKeepAliveInterval(s.keepAlive());
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(0); // the connection's own deadline bounds connect (and closes the socket)
        if (user != null) {
            o.setUserName(user);
        }
        if (password != null) {
            o.setPassword(password.toCharArray());
        }
        s.will().ifPresent(w -> o.setWill(w.topic(), w.payload(), w.qos(), w.retain()));
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.connect(o, null, listener(done, t -> null));
        return done;
    }

    @Override
    public CompletableFuture<Integer> publish(String topic, byte[] payload, int qos, boolean retained)
            throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        client.publish(topic, payload, qos, retained, null, listener(done, t -> 0)); // 3.1.1 acks carry no code
        return done;
    }

    @Override
    public CompletableFuture<Integer> subscribe(String filter, int qos, Consumer<Message> messages) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        client.subscribe(filter, qos, null, listener(done, t -> t.getGrantedQos().length == 0 ? qos
                : t.getGrantedQos()[0]), (topic, m) -> messages.accept(new Message(topic, m.getPayload(), m.getQos(),
                        m.isRetained())));
        return done;
    }

    @Override
    public CompletableFuture<Void> disconnect(int reason) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.disconnect(0, null, listener(done, t -> null));
        return done;
    }

    @Override
    public void disconnectForcibly() throws Exception {
        client.disconnectForcibly(0, 1, false);
    }


    private static <T> IMqttActionListener listener(CompletableFuture<T> done,
            java.util.function.Function<IMqttToken, T> value) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                done.complete(value.apply(token));
            }

            @Override
            public void onFailure(IMqttToken token, Throwable failure) {
                done.completeExceptionally(failure != null ? failure
                        : new IllegalStateException("Paho reported a failure without a cause"));
            }
        };
    }

    @Override
    public String toString() {
        return "Paho mqttv3 client " + clientId();
    }
}
