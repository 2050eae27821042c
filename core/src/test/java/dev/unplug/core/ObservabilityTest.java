package dev.unplug.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionListener;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.testkit.peer.ManyConnectionsPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Unplug tells the outside, read back as a user would: {@link System.Logger} records (through JUL, the JDK's
 * default backend) at their levels, and JFR events from an in-process recording; never a secret.
 */
class ObservabilityTest {

    private static final String SECRET = "hunter2";

    @TempDir
    static Path work;

    private static Path plugins;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger unplug = Logger.getLogger("dev.unplug");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeAll
    static void buildPlugins() throws Exception {
        plugins = Files.createDirectory(work.resolve("plugins"));
        PluginJars.jar(plugins, "tcp.jar", "tcp.TcpProvider",
                PluginJars.tcpPlugin("tcp", "tcp", "tcp", "unplug.test.observability.constructed"));
        PluginJars.jar(plugins, "broken.jar", "broken.StubProvider", PluginJars.stubPlugin("broken",
                PluginJars.declaration("broken", "broken", "ApiVersion.CURRENT"),
                "throw new IllegalStateException(\"no licence\");"));
    }

    @BeforeEach
    void captureLogs() {
        levelBefore = unplug.getLevel();
        unplug.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        unplug.addHandler(capture);
    }

    @AfterEach
    void restoreLogs() {
        unplug.removeHandler(capture);
        unplug.setLevel(levelBefore);
    }

    /** A connection ended gracefully, one dropped with a listener that throws, a broken plugin, a shutdown. */
    private static void story() {
        try (ManyConnectionsPeer peer = ManyConnectionsPeer.answering();
                PluginHost host = PluginHost.builder().pluginDirectory(plugins).build()) {
            String uri = "tcp://bob:" + SECRET + "@127.0.0.1:" + peer.port();
            Connection graceful = host.open(uri, Options.empty());
            graceful.connect();
            graceful.disconnect(Duration.ofSeconds(2));
            Connection dropped = host.open(uri, Options.empty());
            dropped.connect();
            dropped.addListener(new ConnectionListener() {
                @Override
                public void stateChanged(Connection c, ConnectionState from, ConnectionState to) {
                    throw new IllegalStateException("listener bug");
                }
            });
            dropped.drop();
            Connection refused = host.open("tcp://bob:" + SECRET + "@127.0.0.1:" + closedPort(), Options.empty());
            assertThatThrownBy(refused::connect).isInstanceOf(UnplugException.class);
            assertThatThrownBy(() -> host.open("broken://x", Options.empty())).isInstanceOf(UnplugException.class);
            host.open(uri, Options.empty()).connect();
            host.shutdown(Duration.ofSeconds(2));
        }
    }

    /** A loopback port nothing listens on (bound, then released). */
    private static int closedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void connectionsAndTheHostLogTheirStoryAtTheRightLevelsAndNeverASecret() {
        story();
        assertThat(records).as("no record holds the password").noneMatch(r -> r.getMessage().contains(SECRET));
        assertThat(records).anyMatch(r -> r.getLevel() == Level.FINE && r.getLoggerName().equals("dev.unplug.connection")
                && r.getMessage().contains("tcp tcp://bob:***@127.0.0.1:") && r.getMessage().endsWith("CONNECTING -> CONNECTED"));
        assertThat(records).anyMatch(r -> r.getLevel() == Level.FINE
                && r.getMessage().contains("graceful disconnect ended CLEAN"));
        assertThat(records).anyMatch(r -> r.getLevel() == Level.FINE && r.getMessage().contains("drop ended DROPPED"));
        assertThat(records).as("a connect that fails is no drop and no escalation")
                .anyMatch(r -> r.getLevel() == Level.FINE && r.getMessage().contains("connection ended FAILED")
                        && r.getMessage().contains("connect failed"))
                .noneMatch(r -> r.getMessage().contains("ESCALATED"));
        assertThat(records).as("per-connection events stay below INFO: JUL's default prints nothing for them")
                .filteredOn(r -> r.getLoggerName().equals("dev.unplug.connection") && r.getLevel() == Level.INFO)
                .isEmpty();
        assertThat(records).anyMatch(r -> r.getLevel() == Level.WARNING
                && r.getMessage().contains("a listener threw") && r.getMessage().contains("listener bug"));
        assertThat(records).anyMatch(r -> r.getLevel() == Level.WARNING && r.getLoggerName().equals("dev.unplug.host")
                && r.getMessage().contains("plugin broken") && r.getMessage().contains("FAILED")
                && r.getMessage().contains("no licence"));
        assertThat(records).anyMatch(r -> r.getLevel() == Level.INFO && r.getLoggerName().equals("dev.unplug.host")
                && r.getMessage().matches("shutdown of 1 connection\\(s\\) in \\d+ ms: 1 clean, 0 refused, 0 escalated,"
                + " 0 dropped, 0 failed"));
        assertThat(records).as("close() after shutdown() records no second, empty shutdown")
                .filteredOn(r -> r.getMessage().startsWith("shutdown of")).hasSize(1);
    }

    @Test
    void disconnectsDropsPluginLoadsAndShutdownsAreJfrEventsReadBackFromARecording() throws Exception {
        Path file = work.resolve("unplug.jfr");
        try (Recording recording = new Recording()) {
            for (String name : List.of("dev.unplug.Disconnect", "dev.unplug.Drop", "dev.unplug.PluginLoad",
                    "dev.unplug.Shutdown")) {
                recording.enable(name);
            }
            recording.start();
            story();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(events).filteredOn(e -> e.getEventType().getName().startsWith("dev.unplug.D")).isNotEmpty()
                .noneMatch(e -> e.getString("uri").contains(SECRET));
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.unplug.Disconnect");
            assertThat(e.getString("plugin")).isEqualTo("tcp");
            assertThat(e.getString("uri")).startsWith("tcp://bob:***@127.0.0.1:");
            assertThat(e.getString("mode")).isEqualTo("graceful");
            assertThat(e.getString("outcome")).isEqualTo("CLEAN");
            assertThat(e.getString("lastReply")).isEqualTo("BYE");
            assertThat(e.getLong("elapsed")).isPositive();
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.unplug.Disconnect");
            assertThat(e.getString("mode")).isEqualTo("drop");
            assertThat(e.getString("outcome")).isEqualTo("DROPPED");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.unplug.Drop");
            assertThat(e.getLong("elapsed")).isPositive();
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.unplug.PluginLoad");
            assertThat(e.getString("id")).isEqualTo("tcp");
            assertThat(e.getString("status")).isEqualTo("ACTIVE");
            assertThat(e.getString("source")).endsWith("tcp.jar");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.unplug.PluginLoad");
            assertThat(e.getString("id")).isEqualTo("broken");
            assertThat(e.getString("status")).isEqualTo("FAILED");
            assertThat(e.getString("reason")).contains("no licence");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.unplug.Disconnect");
            assertThat(e.getString("mode")).isEqualTo("failed");
            assertThat(e.getString("outcome")).isEqualTo("FAILED");
        });
        assertThat(events).as("one shutdown event: close() after shutdown() records no second, empty one")
                .filteredOn(e -> e.getEventType().getName().equals("dev.unplug.Shutdown")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getLong("count")).isEqualTo(1);
                    assertThat(e.getLong("clean")).isEqualTo(1);
                    assertThat(e.getLong("failed")).isZero();
                });
    }
}
