package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.Message;
import dev.unplug.api.message.MqttSession;
import dev.unplug.core.PluginHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's MQTT step: starts Debian's {@code mosquitto} (when installed) as a child process ({@link ChildServer})
 * on a free port of 127.0.0.1 with a private configuration, subscribes a witness to a Will topic, then connects two sessions with
 * that Will: the first publishes a message and disconnects gracefully (CLEAN, no Will seen by the witness), the
 * second is dropped (the witness sees its Will). The broker is stopped by its pid and its files removed whatever
 * happened. Without mosquitto it says so in one line and the demo goes on. Not thread-safe: one demo run.
 */
final class MqttDemo {

    private static final Duration WILL_WAIT = Duration.ofSeconds(3);

    private MqttDemo() {
    }

    static DemoRow run(PluginHost host) {
        if (!host.schemes().contains("mqtt")) {
            return new DemoRow("MQTT", "not available (no mqtt plugin in this build)", null, null,
                    DemoRow.Result.NOT_AVAILABLE, null);
        }
        Optional<Path> mosquitto = ChildServer.installed("/usr/sbin/mosquitto", "/usr/bin/mosquitto",
                "/usr/local/sbin/mosquitto");
        if (mosquitto.isEmpty()) {
            return new DemoRow("MQTT", "skipped: mosquitto is not installed (apt-get install mosquitto)", null, null,
                    DemoRow.Result.SKIPPED, null);
        }
        List<Connection> opened = new ArrayList<>();
        try (ChildServer broker = ChildServer.prepare("mqtt")) {
            Files.writeString(broker.dir.resolve("mosquitto.conf"), String.join("\n",
                    "user " + System.getProperty("user.name"), "persistence false", "allow_anonymous true",
                    "log_dest file " + broker.dir.resolve("mosquitto.log"), "listener " + broker.port + " 127.0.0.1",
                    ""));
            broker.start(List.of(mosquitto.get().toString(), "-c", broker.dir.resolve("mosquitto.conf").toString()));
            int port = broker.port;
            try {
                return steps(host, opened, port);
            } finally {
                opened.forEach(Connection::close);
            }
        } catch (UnplugException e) {
            return new DemoRow("MQTT", "failed", null, null, DemoRow.Result.FAILED, Errors.line(e));
        } catch (IOException | IllegalStateException e) {
            return new DemoRow("MQTT", "failed", null, null, DemoRow.Result.FAILED, "error: " + e.getMessage());
        }
    }

    private static DemoRow steps(PluginHost host, List<Connection> opened, int port) {
        String base = "mqtt://127.0.0.1:" + port;
        String topic = "unplug/demo/will";
        Connection witness = open(host, opened, base + "?clientId=unplug-demo-witness");
        MqttSession watching = witness.unwrap(MqttSession.class);
        watching.subscribe(topic, 1);
        String will = "&willTopic=" + topic + "&willQos=1&willPayload=";
        Connection polite = open(host, opened, base + "?clientId=unplug-demo-graceful" + will + "graceful");
        polite.unwrap(MqttSession.class).publish("unplug/demo/hello", "hello".getBytes(), 1, false);
        DisconnectOutcome graceful = polite.disconnect();
        Optional<Message> afterGraceful = watching.receive(Duration.ofSeconds(1));
        Connection dropped = open(host, opened, base + "?clientId=unplug-demo-drop" + will + "dropped");
        DisconnectOutcome drop = dropped.drop();
        Optional<Message> afterDrop = watching.receive(WILL_WAIT);
        boolean expected = graceful.kind() == DisconnectOutcome.Kind.CLEAN && afterGraceful.isEmpty()
                && drop.kind() == DisconnectOutcome.Kind.DROPPED
                && afterDrop.map(m -> m.text().equals("dropped")).orElse(false);
        return new DemoRow("MQTT", "mosquitto on 127.0.0.1:" + port + "; published 1 message (QoS 1); Will after"
                + " graceful: " + (afterGraceful.isEmpty() ? "none" : "SEEN") + "; Will after drop: "
                + afterDrop.map(m -> "seen by a subscriber").orElse("NOT SEEN"), graceful, drop,
                expected ? DemoRow.Result.OK : DemoRow.Result.UNEXPECTED, graceful.lastReply().orElse(null));
    }

    private static Connection open(PluginHost host, List<Connection> opened, String uri) {
        Connection c = host.open(uri, Options.empty());
        opened.add(c);
        c.connect();
        return c;
    }
}
