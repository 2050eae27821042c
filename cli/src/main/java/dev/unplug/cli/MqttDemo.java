package dev.unplug.cli;

import dev.unplug.api.Connection;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.message.Message;
import dev.unplug.api.message.MqttSession;
import dev.unplug.core.PluginHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's MQTT step: starts Debian's {@code mosquitto} (when installed) as a child process on a free port of
 * 127.0.0.1 with a private configuration, subscribes a witness to a Will topic, then connects two sessions with
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
        Optional<Path> mosquitto = Stream.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")
                .map(Path::of).filter(Files::isExecutable).findFirst();
        if (mosquitto.isEmpty()) {
            return new DemoRow("MQTT", "skipped: mosquitto is not installed (apt-get install mosquitto)", null, null,
                    DemoRow.Result.SKIPPED, null);
        }
        Path dir = null;
        Process broker = null;
        List<Connection> opened = new ArrayList<>();
        try {
            dir = Files.createTempDirectory("unplug-demo-mqtt-");
            int port = freePort();
            Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                    "user " + System.getProperty("user.name"), "persistence false", "allow_anonymous true",
                    "log_dest file " + dir.resolve("mosquitto.log"), "listener " + port + " 127.0.0.1", ""));
            broker = new ProcessBuilder(mosquitto.get().toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            awaitListening(port, broker);
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
        } catch (UnplugException e) {
            return new DemoRow("MQTT", "failed", null, null, DemoRow.Result.FAILED, Errors.line(e));
        } catch (IOException | IllegalStateException e) {
            return new DemoRow("MQTT", "failed", null, null, DemoRow.Result.FAILED, "error: " + e.getMessage());
        } finally {
            opened.forEach(Connection::close);
            stop(broker);
            remove(dir);
        }
    }

    private static Connection open(PluginHost host, List<Connection> opened, String uri) {
        Connection c = host.open(uri, Options.empty());
        opened.add(c);
        c.connect();
        return c;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process broker) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - until < 0) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("mosquitto exited at start (exit " + broker.exitValue() + ")");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while mosquitto started", e);
                }
            }
        }
        throw new IllegalStateException("mosquitto did not listen on 127.0.0.1:" + port + " within 5 s");
    }

    private static void stop(Process broker) {
        if (broker == null) {
            return;
        }
        broker.destroy();
        try {
            if (!broker.waitFor(5, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void remove(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory left behind is all that happens
        }
    }
}
