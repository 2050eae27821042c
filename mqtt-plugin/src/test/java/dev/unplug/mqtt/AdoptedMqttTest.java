package dev.unplug.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.message.MqttSession;
import dev.unplug.testkit.tck.PeerBehaviour;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Paho clients the application made itself, adopted: the synchronous {@code MqttClient} of both versions (whose
 * asynchronous client the plugin reaches), ended gracefully and by a drop, with what the broker saw.
 */
class AdoptedMqttTest {

    private final MqttProvider provider = new MqttProvider();

    @Test
    void anAdoptedMqttv3ClientEndsWithItsDisconnectAndAnotherIsDroppedWithout() throws Exception {
        try (FakeBroker broker = new FakeBroker(PeerBehaviour.NORMAL, "3.1.1")) {
            org.eclipse.paho.client.mqttv3.MqttClient paho = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:" + broker.port(), "adopted-v3",
                    new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            paho.connect();
            Connection c = provider.adopt(paho, Options.empty());
            c.unwrap(MqttSession.class).publish("a/b", new byte[] {1}, 1, false);
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("not observed"));
            assertThat(broker.messageLog()).containsSubsequence("CONNECT", "PUBLISH", "DISCONNECT");
            paho.close(true);
        }
        try (FakeBroker broker = new FakeBroker(PeerBehaviour.NORMAL, "3.1.1")) {
            org.eclipse.paho.client.mqttv3.MqttClient paho = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:" + broker.port(), "adopted-v3-drop",
                    new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            paho.connect();
            assertThat(provider.adopt(paho, Options.empty()).drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
            assertThat(broker.awaitClosed(Duration.ofSeconds(5))).as("the broker saw the connection end").isTrue();
            assertThat(broker.goodbyes()).as("DISCONNECTs the broker received").isZero();
        }
    }

    @Test
    void anAdoptedMqttv5ClientEndsWithItsDisconnect() throws Exception {
        try (FakeBroker broker = new FakeBroker(PeerBehaviour.NORMAL, "5")) {
            org.eclipse.paho.mqttv5.client.MqttClient paho = new org.eclipse.paho.mqttv5.client.MqttClient(
                    "tcp://127.0.0.1:" + broker.port(), "adopted-v5",
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            paho.connect();
            Connection c = provider.adopt(paho, Options.empty());
            assertThat(c.unwrap(MqttSession.class).protocolVersion()).isEqualTo(5);
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(broker.awaitGoodbyes(1, Duration.ofSeconds(5))).as("the broker got DISCONNECT").isTrue();
            paho.close(true);
        }
    }
}
