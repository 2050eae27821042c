package dev.unplug.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.Message;
import dev.unplug.api.message.MqttSession;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The mqtt plugin against Mosquitto 2, each ending proven twice: by the broker's log ({@code log_type all}: a
 * graceful disconnect is "Received DISCONNECT from id" then "Client id disconnected.", a drop "Client id closed its
 * connection.") and by a real subscriber on the session's Will topic (the Will arrives after every drop and never
 * after a graceful disconnect), for MQTT 3.1.1 and MQTT 5.
 */
class MqttTest extends InteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration WILL_WAIT = Duration.ofSeconds(2);

    @BeforeEach
    void brokerRuns() {
        Server.MQTT.require();
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void gracefulDisconnectSendsDisconnectTheBrokerClosesAndDiscardsTheWill(String version) {
        String id = id("graceful");
        try (Witness will = new Witness(id)) {
            ServerLog log = ServerLog.mark(ServerPaths.get("MOSQUITTO_LOG"));
            Connection c = host.open(Server.MQTT.uri() + "?clientId=" + id + "&protocolVersion=" + version
                    + will.options(), Options.empty());
            c.connect();
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("DISCONNECT sent")
                    .contains("the broker closed the connection"));
            log.await("the broker receiving DISCONNECT from " + id, "Received DISCONNECT from " + id, WAIT);
            log.await("the broker ending " + id + " as disconnected", "Client " + id + " disconnected\\.", WAIT);
            assertThat(log.lines()).noneMatch(l -> l.contains("Client " + id + " closed its connection"));
            assertThat(will.next()).as("the Will after a graceful disconnect").isEmpty();
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void dropSendsNothingTheBrokerSeesTheConnectionClosedAndPublishesTheWill(String version) {
        String id = id("drop");
        try (Witness will = new Witness(id)) {
            ServerLog log = ServerLog.mark(ServerPaths.get("MOSQUITTO_LOG"));
            Connection c = host.open(Server.MQTT.uri() + "?clientId=" + id + "&protocolVersion=" + version
                    + will.options(), Options.empty());
            c.connect();
            assertThat(c.drop().kind()).isEqualTo(DisconnectOutcome.Kind.DROPPED);
            log.await("the broker seeing " + id + " close its connection", "Client " + id
                    + " closed its connection\\.", WAIT);
            assertThat(log.lines()).noneMatch(l -> l.contains("Received DISCONNECT from " + id));
            assertThat(will.next()).as("the Will after a drop").hasValueSatisfying(m -> assertThat(m.text())
                    .isEqualTo("gone:" + id));
        }
    }

    @Test
    void mqtt5DisconnectWithWillIsACleanGoodbyeAfterWhichTheBrokerPublishesTheWill() {
        String id = id("with-will");
        try (Witness will = new Witness(id)) {
            ServerLog log = ServerLog.mark(ServerPaths.get("MOSQUITTO_LOG"));
            Connection c = host.open(Server.MQTT.uri() + "?clientId=" + id + "&protocolVersion=5"
                    + "&disconnectWithWill=true" + will.options(), Options.empty());
            c.connect();
            DisconnectOutcome o = c.disconnect(Duration.ofSeconds(2));
            assertThat(o.kind()).as("%s", o).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(o.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("0x04"));
            log.await("the broker receiving DISCONNECT from " + id, "Received DISCONNECT from " + id, WAIT);
            assertThat(will.next()).as("the Will after DISCONNECT 0x04").isPresent();
        }
    }

    @Test
    void publishedMessagesReachASubscriberAndTheSessionEndsCleanOverTls() {
        Server.MQTTS.require();
        String id = id("tls");
        Options tls = Options.builder().set("tlsTrustStore", ServerPaths.get("MOSQUITTO_TLS_TRUST_STORE").toString())
                .set("tlsTrustStorePassword", "unplug-interop").build();
        Connection c = host.open(Server.MQTTS.uri() + "?clientId=" + id, tls);
        c.connect();
        MqttSession s = c.unwrap(MqttSession.class);
        assertThat(s.subscribe("unplug/echo/" + id, 1)).isEqualTo(1);
        s.publish("unplug/echo/" + id, "over TLS".getBytes(), 1, false);
        Optional<Message> m = s.receive(WAIT);
        assertThat(m).hasValueSatisfying(x -> assertThat(x.text()).isEqualTo("over TLS"));
        assertThat(c.disconnect(Duration.ofSeconds(2)).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
    }

    @Test
    void tlsWithoutTheBrokersCertificateTrustedFailsTyped() {
        Server.MQTTS.require();
        Connection c = host.open(Server.MQTTS.uri() + "?clientId=" + id("untrusted"), Options.empty());
        UnplugException e = catchThrowableOfType(c::connect, UnplugException.class);
        assertThat(e.kind()).as("%s", e).isEqualTo(ErrorKind.SECURE_CONNECT_FAILED);
        assertThat(e.getMessage()).doesNotContain("unplug-mqtt-pw");
    }

    /** Mosquitto answers a wrong password with "not authorised" (3.1.1's return code 5, MQTT 5's 0x87). */
    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void aWrongPasswordIsRefusedWithTheBrokersCode(String version) {
        Connection c = host.open("mqtt://unplug:wrong-pw@127.0.0.1:11883?protocolVersion=" + version,
                Options.empty());
        UnplugException e = catchThrowableOfType(c::connect, UnplugException.class);
        assertThat(e.kind()).as("%s", e).isEqualTo(ErrorKind.ACCESS_DENIED);
        assertThat(e.replyCode()).hasValue(version.equals("5") ? 0x87 : 5);
        assertThat(e.getMessage()).doesNotContain("wrong-pw");
    }

    /**
     * MQTT 5 only: Mosquitto answers a QoS 1 PUBLISH its ACL forbids with PUBACK 0x87; MQTT 3.1.1 has no way to
     * say so (the broker acknowledges and discards). The session stays usable.
     */
    @Test
    void aPublishTheAclForbidsIsAccessDeniedWithTheBrokersCodeAndTheSessionGoesOn() {
        Connection c = host.open("mqtt://reader:reader-pw@127.0.0.1:11883?protocolVersion=5", Options.empty());
        c.connect();
        try {
            MqttSession s = c.unwrap(MqttSession.class);
            UnplugException e = catchThrowableOfType(() -> s.publish("secret/x", "hi".getBytes(), 1, false),
                    UnplugException.class);
            assertThat(e.kind()).as("%s", e).isEqualTo(ErrorKind.ACCESS_DENIED);
            assertThat(e.replyCode()).hasValue(0x87);
            assertThat(s.subscribe("public/news", 0)).isZero();
        } finally {
            assertThat(c.disconnect().kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
    }

    @Test
    void anAdoptedPahoClientEndsGracefullyUnderTheContract() throws Exception {
        String id = id("adopted");
        try (Witness will = new Witness(id)) {
            MqttAsyncClient paho = new MqttAsyncClient("tcp://127.0.0.1:11883", id, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName("unplug");
            o.setPassword("unplug-mqtt-pw".toCharArray());
            o.setWill(will.topic, ("gone:" + id).getBytes(), 1, false);
            paho.connect(o).waitForCompletion(10_000);
            ServerLog log = ServerLog.mark(ServerPaths.get("MOSQUITTO_LOG"));
            Connection c = host.adopt(paho);
            c.unwrap(MqttSession.class).publish("unplug/adopted/" + id, "hello".getBytes(), 1, false);
            DisconnectOutcome out = c.disconnect(Duration.ofSeconds(2));
            assertThat(out.kind()).as("%s", out).isEqualTo(DisconnectOutcome.Kind.CLEAN);
            assertThat(out.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("not observed"));
            log.await("the broker receiving DISCONNECT from " + id, "Received DISCONNECT from " + id, WAIT);
            assertThat(will.next()).isEmpty();
            paho.close(true);
        }
    }

    private static String id(String what) {
        return "unplug-it-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A second, real MQTT session subscribed to a Will topic before the session under test connects. */
    private static final class Witness implements AutoCloseable {
        final String topic;
        final String id;
        final Connection subscriber;

        Witness(String id) {
            this.id = id;
            this.topic = "unplug/will/" + id;
            subscriber = host.open(Server.MQTT.uri() + "?clientId=witness-" + id, Options.empty());
            subscriber.connect();
            subscriber.unwrap(MqttSession.class).subscribe(topic, 1);
        }

        String options() {
            return "&willTopic=" + topic + "&willPayload=gone:" + id + "&willQos=1";
        }

        Optional<Message> next() {
            return subscriber.unwrap(MqttSession.class).receive(WILL_WAIT);
        }

        @Override
        public void close() {
            subscriber.disconnect();
        }
    }
}
