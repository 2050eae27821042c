package dev.unplug.mqtt;

import static dev.unplug.testkit.UnplugAssertions.assertThatUnplugThrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.MqttSession;
import dev.unplug.testkit.ConnectionTracker;
import dev.unplug.testkit.ProcessResources;
import dev.unplug.testkit.UnplugExtension;
import dev.unplug.testkit.tck.PeerBehaviour;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input and hostile brokers: typed errors with clear messages and the broker's code, no password shown, no
 * socket or Paho thread left behind.
 */
@ExtendWith(UnplugExtension.class)
class MqttBadInputTest {

    private static final String SECRET = "S3cretMqttPassw0rd";
    private final MqttProvider provider = new MqttProvider();

    @Test
    void malformedUrisAndBadOptionsAreRefusedByOpenWithTheUriRedacted() {
        refused("mqtt:///", "a host, no path");
        refused("mqtt://u:" + SECRET + "@h/topic", "a host, no path");
        refused("mqtt://u:" + SECRET + "@h?clientID=x", "unknown mqtt option(s) [clientID]");
        refused("mqtt://h?protocolVersion=6", "protocolVersion must be 3.1.1 or 5");
        refused("mqtt://h?keepAlive=-1", "keepAlive must be a whole number from 0 to 65535");
        refused("mqtt://h?willTopic=a/%2B&willPayload=x", "willTopic must be a topic without wildcards");
        refused("mqtt://h?willPayload=x", "need willTopic");
        refused("mqtt://h?willTopic=a&willQos=3", "willQos must be a whole number from 0 to 2");
        refused("mqtt://h?disconnectWithWill=true", "needs MQTT 5");
        refused("mqtt://h?cleanSession=maybe", "cleanSession");
        refused("amqp://h", "serves mqtt:// and mqtts://");
        assertThat(provider.open(URI.create("mqtts://h?protocolVersion=5&disconnectWithWill=true"), Options.empty())
                .state()).isEqualTo(ConnectionState.NOT_INITIALISED);
    }

    private void refused(String uri, String message) {
        assertThatUnplugThrownBy(() -> provider.open(URI.create(uri), Options.empty()))
                .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains(message).messageDoesNotContain(SECRET);
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void aRefusedPasswordIsAuthenticationFailedWithTheBrokersCodeAndNoPassword(String version,
            ConnectionTracker tracker) {
        int code = version.equals("5") ? 0x86 : 4;
        try (FakeBroker broker = new FakeBroker(PeerBehaviour.NORMAL, version, FakeBroker.Trouble.REFUSE_CONNECT,
                code)) {
            Connection c = tracker.track(provider.open(URI.create("mqtt://tck:" + SECRET + "@127.0.0.1:"
                    + broker.port() + "?protocolVersion=" + version), Options.empty()));
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.AUTHENTICATION_FAILED)
                    .messageContains("code " + code).messageDoesNotContain(SECRET);
            assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(c.toString()).doesNotContain(SECRET);
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void aBrokerThatNeverSendsConnackTimesOutAtTheConnectTimeoutAndLeavesNothing(String version,
            ConnectionTracker tracker) {
        Set<Thread> before = ProcessResources.liveThreads();
        try (FakeBroker broker = new FakeBroker(PeerBehaviour.NORMAL, version, FakeBroker.Trouble.NO_CONNACK, 0)) {
            Connection c = tracker.track(provider.open(broker.uri(), Options.builder()
                    .set(Options.CONNECT_TIMEOUT, "300ms").build()));
            long start = System.nanoTime();
            assertThatUnplugThrownBy(c::connect).hasKind(ErrorKind.TIMEOUT).messageContains("connect timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(broker.awaitClosed(Duration.ofSeconds(5))).as("the broker saw the socket closed").isTrue();
        }
        assertNoPahoThreadsBeyond(before);
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void garbageOrAnOversizedPacketInPlaceOfConnackIsATypedErrorAndLeavesNothing(String version,
            ConnectionTracker tracker) {
        Set<Thread> before = ProcessResources.liveThreads();
        for (FakeBroker.Trouble trouble : new FakeBroker.Trouble[] {FakeBroker.Trouble.GARBAGE_CONNACK,
            FakeBroker.Trouble.OVERSIZED_PACKET}) {
            try (FakeBroker broker = new FakeBroker(PeerBehaviour.NORMAL, version, trouble, 0)) {
                Connection c = tracker.track(provider.open(broker.uri(), Options.builder()
                        .set(Options.CONNECT_TIMEOUT, "2s").build()));
                UnplugException e = catchThrowableOfType(c::connect, UnplugException.class);
                assertThat(e).as("what connect raised against %s", trouble).isNotNull();
                assertThat(e.kind()).as("%s", e).isEqualTo(ErrorKind.MALFORMED_REPLY);
                assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
            }
        }
        assertNoPahoThreadsBeyond(before);
    }

    @Test
    void aRefusedSubscriptionIsAccessDeniedWithTheBrokersCodeAndTheSessionGoesOn(ConnectionTracker tracker) {
        try (FakeBroker broker = new FakeBroker(PeerBehaviour.NORMAL, "3.1.1", FakeBroker.Trouble.REFUSE_SUBSCRIBE,
                0x80)) {
            Connection c = tracker.track(provider.open(broker.uri(), Options.empty()));
            c.connect();
            MqttSession s = c.unwrap(MqttSession.class);
            assertThatUnplugThrownBy(() -> s.subscribe("secret/#", 1)).hasKind(ErrorKind.ACCESS_DENIED)
                    .messageContains("code 128");
            s.publish("public/x", new byte[] {1}, 1, false);
            assertThat(c.disconnect(Duration.ofSeconds(2)).kind()).isEqualTo(DisconnectOutcome.Kind.CLEAN);
        }
    }

    @Test
    void badArgumentsToTheSessionAreTypedAndLeaveItUsable(ConnectionTracker tracker) {
        try (FakeBroker broker = new FakeBroker(PeerBehaviour.NORMAL, "5")) {
            Connection c = tracker.track(provider.open(broker.uri(), Options.empty()));
            c.connect();
            MqttSession s = c.unwrap(MqttSession.class);
            assertThat(s.protocolVersion()).isEqualTo(5);
            assertThatUnplugThrownBy(() -> s.publish("a/#", new byte[0], 0, false))
                    .hasKind(ErrorKind.INVALID_ARGUMENT).messageContains("no wildcards");
            assertThatUnplugThrownBy(() -> s.publish(null, new byte[0], 0, false)).hasKind(ErrorKind.NULL_ARGUMENT);
            assertThatUnplugThrownBy(() -> s.publish("a", new byte[0], 3, false)).hasKind(ErrorKind.INVALID_ARGUMENT);
            assertThatUnplugThrownBy(() -> s.subscribe("", 0)).hasKind(ErrorKind.INVALID_ARGUMENT);
            assertThatUnplugThrownBy(() -> s.receive(Duration.ofMillis(-1))).hasKind(ErrorKind.INVALID_ARGUMENT);
            assertThat(s.receive(Duration.ofMillis(10))).isEmpty();
            s.publish("a", new byte[] {1}, 2, false);
            assertThat(c.state()).isEqualTo(ConnectionState.AUTHENTICATED);
            c.drop();
            assertThatUnplugThrownBy(() -> s.receive(Duration.ofSeconds(1))).hasKind(ErrorKind.CONNECTION_DROPPED);
        }
    }

    @Test
    void onlyConnectedPahoClientsAreAdoptedAnythingElseIsNotThisPluginsToTake() throws Exception {
        assertThat(provider.adopt(new Object(), Options.empty())).isNull();
        assertThat(provider.adopt("mqtt://h", Options.empty())).isNull();
        MqttAsyncClient never = new MqttAsyncClient("tcp://127.0.0.1:1", "never", new MemoryPersistence());
        assertThatUnplugThrownBy(() -> provider.adopt(never, Options.empty())).hasKind(ErrorKind.INVALID_STATE)
                .messageContains("not connected");
        never.close(true);
    }

    private static void assertNoPahoThreadsBeyond(Set<Thread> before) {
        ProcessResources.awaitCondition(() -> ProcessResources.threadsNotIn(before).stream()
                .noneMatch(t -> t.getName().startsWith("MQTT")), Duration.ofSeconds(5));
        assertThat(ProcessResources.threadsNotIn(before)).as("Paho threads left")
                .noneMatch(t -> t.getName().startsWith("MQTT"));
    }
}
