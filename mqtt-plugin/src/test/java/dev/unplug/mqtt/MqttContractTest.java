package dev.unplug.mqtt;

import dev.unplug.api.Connection;
import dev.unplug.api.message.MqttSession;
import dev.unplug.spi.UnplugProvider;
import dev.unplug.testkit.tck.ConnectionContractTest;
import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.TckPeer;
import java.net.URI;
import org.junit.jupiter.api.function.Executable;

/**
 * The whole TCK against the mqtt plugin on MQTT 3.1.1, through the TCK's peer control: each peer is
 * {@link FakeBroker}, whose goodbye is DISCONNECT, answered by closing the connection (or not, or by a reset, as
 * each check asks). The blocking operation is a QoS 1 PUBLISH, which waits for the broker's PUBACK.
 */
class MqttContractTest extends ConnectionContractTest {

    /** The {@code protocolVersion} of the peers and URIs. */
    String version() {
        return "3.1.1";
    }

    @Override
    protected Class<? extends UnplugProvider> providerType() {
        return MqttProvider.class;
    }

    @Override
    protected URI uri(int port) {
        return URI.create("mqtt://tck:tckpass@127.0.0.1:" + port + "?protocolVersion=" + version());
    }

    @Override
    protected TckPeer startPeer(PeerBehaviour behaviour) {
        return new FakeBroker(behaviour, version());
    }

    @Override
    protected boolean defersGoodbyeAnswer() {
        return true; // DISCONNECT handed to Paho in beginDisconnect; the broker's close awaited by no thread
    }

    @Override
    protected Executable blockingOperation(Connection connection) {
        MqttSession s = connection.unwrap(MqttSession.class);
        return () -> s.publish("tck/blocking", "waits for PUBACK".getBytes(), 1, false);
    }
}
