package dev.unplug.mqtt;

import dev.unplug.api.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** MQTT 5 on Paho's mqttv5 {@link MqttAsyncClient}. Thread-safe as Paho's client is. */
final class PahoV5 implements Paho {

    private final MqttAsyncClient client;
    /** Paho 5 routes a subscription's messages to its listener by subscription identifier: one per SUBSCRIBE. */
    private final AtomicInteger subscriptions = new AtomicInteger();

    PahoV5(MqttAsyncClient client) {
        this.client = client;
    }

    static PahoV5 create(MqttSettings s) throws MqttException {
        return new PahoV5(new MqttAsyncClient(s.serverUri(), s.clientId(), new MemoryPersistence()));
    }

    @Override
    public int version() {
        return 5;
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
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(sockets);
        o.setCleanStart(s.cleanSession());
        if (!s.cleanSession()) {
            o.setSessionExpiryInterval(0xFFFFFFFFL); // MQTT 3.1.1's persistent session: kept until asked
        }
        o.setKeepAliveInterval(s.keepAlive());
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(0); // the connection's own deadline bounds connect (and closes the socket)
        if (user != null) {
            o.setUserName(user);
        }
        if (password != null) {
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        s.will().ifPresent(w -> {
            MqttMessage m = new MqttMessage(w.payload());
            m.setQos(w.qos());
            m.setRetained(w.retain());
            o.setWill(w.topic(), m);
        });
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.connect(o, null, listener(done, t -> null));
        return done;
    }

    @Override
    public CompletableFuture<Integer> publish(String topic, byte[] payload, int qos, boolean retained)
            throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        client.publish(topic, payload, qos, retained, null, listener(done, PahoV5::firstCode));
        return done;
    }

    @Override
    public CompletableFuture<Integer> subscribe(String filter, int qos, Consumer<Message> messages) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        client.subscribe(new MqttSubscription(filter, qos), null, listener(done, t -> {
            int[] codes = t.getReasonCodes();
            return codes == null || codes.length == 0 ? qos : codes[0];
        }), (topic, m) -> messages.accept(new Message(topic, m.getPayload(), m.getQos(), m.isRetained())),
                subscriptionId());
        return done;
    }

    @Override
    public CompletableFuture<Void> disconnect(int reason) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.disconnect(0, null, listener(done, t -> null), reason, null);
        return done;
    }

    @Override
    public void disconnectForcibly() throws Exception {
        client.disconnectForcibly(0, 1, false);
    }


    private MqttProperties subscriptionId() {
        MqttProperties p = new MqttProperties();
        p.setSubscriptionIdentifiers(java.util.List.of(subscriptions.updateAndGet(n -> n >= 268_435_455 ? 1 : n + 1)));
        return p;
    }

    /** The first reason code of an acknowledgement (PUBACK, PUBREC), 0 when it carries none. */
    private static Integer firstCode(IMqttToken t) {
        int[] codes = t.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    private static <T> MqttActionListener listener(CompletableFuture<T> done, Function<IMqttToken, T> value) {
        return new MqttActionListener() {
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
        return "Paho mqttv5 client " + clientId();
    }
}
